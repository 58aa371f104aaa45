using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary>`gantry serve` as a real process: the banner, and what survives kill -9.</summary>
public sealed class ServeProcessTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "gantry-serve-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _url = $"http://127.0.0.1:{FreePort()}";
    private Process? _gateway;

    [Fact]
    public async Task Serve_prints_where_to_go_and_an_admin_token_that_works()
    {
        var output = await StartAsync();

        Assert.Contains($"Gantry is running at {_url}", output);
        var token = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin.token"))).Trim();
        Assert.Contains($"admin token: {token}", output);
        using var client = Client(token);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("api/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task Accepted_jobs_and_a_running_job_survive_kill_9_of_the_gateway()
    {
        await StartAsync();
        var token = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin.token"))).Trim();
        using var client = Client(token);
        var running = await client.SubmitAsync(TestJobs.Shell("sleep 2; echo survived"));
        await client.WaitForStateAsync(running.Id(), TimeSpan.FromSeconds(20), "Running");
        (await client.PostAsync("api/v1/clusters/local/cordon", null)).EnsureSuccessStatusCode();
        var accepted = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            accepted.Add((await client.SubmitAsync(TestJobs.Shell("true"))).Id());
        }

        _gateway!.Kill(entireProcessTree: false);
        await _gateway.WaitForExitAsync();
        await StartAsync();

        foreach (var id in accepted)
        {
            Assert.Equal("Queued", (await client.GetJobAsync(id)).State());
        }
        var done = await client.WaitForEndAsync(running.Id());
        Assert.Equal("Succeeded", done.State());
        Assert.Equal("survived\n", await client.GetStringAsync($"api/v1/jobs/{running.Id()}/logs"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_gateway is { HasExited: false })
        {
            _gateway.Kill();
            await _gateway.WaitForExitAsync();
        }
        _gateway?.Dispose();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // Left for the temp cleaner.
        }
    }

    private async Task<string> StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "serve", "--data-dir", _dataDir, "--urls", _url })
        {
            start.ArgumentList.Add(arg);
        }
        _gateway = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        _gateway.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _gateway.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _gateway.BeginOutputReadLine();
        _gateway.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri(_url + "/") };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await probe.GetAsync("readyz")).IsSuccessStatusCode)
                {
                    await Task.Delay(200);
                    lock (output)
                    {
                        return output.ToString();
                    }
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            Assert.False(_gateway.HasExited, $"gantry serve exited early: {output}");
            await Task.Delay(100);
        }
        throw new TimeoutException($"gantry serve did not become ready: {output}");
    }

    private HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(_url + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
