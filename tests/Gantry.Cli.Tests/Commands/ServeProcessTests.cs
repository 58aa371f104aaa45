using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

/// <summary>`gantry serve` as a real process: the banner, and what survives kill -9.</summary>
public sealed class ServeProcessTests : IAsyncLifetime
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "gantry-serve-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly int _port;
    private readonly string _url;

    public ServeProcessTests()
    {
        // The default UI listener is the next port: both must be free.
        _port = FreePorts.NextPair();
        _url = $"http://127.0.0.1:{_port}";
    }
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

        // With no --ui-urls, Spark UIs get the next port, which serves nothing but them.
        var ui = $"http://127.0.0.1:{_port + 1}";
        Assert.Contains($"Spark UIs:   {ui}", output);
        using var onUi = new HttpClient { BaseAddress = new Uri(ui + "/") };
        onUi.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        Assert.Equal(HttpStatusCode.NotFound, (await onUi.GetAsync("api/v1/jobs")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await onUi.GetAsync("")).StatusCode);
    }

    [Fact]
    public async Task Accepted_jobs_and_a_running_job_survive_kill_9_of_the_gateway()
    {
        await StartAsync();
        var token = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin.token"))).Trim();
        using var client = Client(token);
        var running = await client.SubmitAsync(TestJobs.Shell("sleep 2; echo survived"));
        await client.WaitForStateAsync(running.Id(), TimeSpan.FromSeconds(60), "Running");
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

    [Fact]
    public async Task Serve_with_sandbox_clusters_registers_them_and_writes_a_kubeconfig_that_kubectl_uses_and_they_run_operator_examples()
    {
        var output = await StartAsync("--sandbox-clusters", "2", "--sandbox-crds", SharedFiles.Crds);
        var token = (await File.ReadAllTextAsync(Path.Combine(_dataDir, "admin.token"))).Trim();
        using var client = Client(token);
        var kubeconfig = Path.Combine(_dataDir, "sandbox.kubeconfig");

        Assert.Contains("sandbox:     2 simulated clusters: sandbox-east", output);
        // Before the way out, naming contexts (kubectl shows only the current one) and the in-memory caveat.
        Assert.True(output.IndexOf("sandbox:", StringComparison.Ordinal) < output.IndexOf("Press Ctrl-C", StringComparison.Ordinal), output);
        Assert.Contains("config get-contexts -o name", output);
        Assert.Contains("--context sandbox-east", output);
        Assert.Contains("restart starts its clusters empty", output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));
        var clusters = JsonNode.Parse(await client.GetStringAsync("api/v1/clusters"))!["items"]!.AsArray();
        Assert.Equal(["local", "sandbox-east", "sandbox-west"], clusters.Select(c => c!["name"]!.GetValue<string>()).Order());
        var (code, nodes) = await KubectlAsync(kubeconfig, "--context", "sandbox-west", "get", "nodes", "-o", "name");
        Assert.Equal(0, code);
        Assert.Equal(["node/west-cpu-1", "node/west-cpu-2"], nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        var yaml = await File.ReadAllTextAsync(Path.Combine(SharedFiles.Examples("spark-operator"), "spark-pi.yaml"));
        using var body = new StringContent(yaml, System.Text.Encoding.UTF8, "application/yaml");
        var submitted = await client.PostAsync("api/v1/jobs", body);
        Assert.Equal(HttpStatusCode.Created, submitted.StatusCode);
        var job = JsonNode.Parse(await submitted.Content.ReadAsStringAsync())!.AsObject();
        var done = await client.WaitForEndAsync(job.Id(), seconds: 60);
        Assert.True(done.State() == "Succeeded", $"{done.State()}: {done["message"]} on {done["cluster"]}");
        Assert.StartsWith("sandbox-", done["cluster"]!.GetValue<string>());
        var (_, apps) = await KubectlAsync(kubeconfig, "--context", done["cluster"]!.GetValue<string>(), "get", "sparkapplications", "-A", "-o", "name");
        Assert.Contains($"g-{job.Id()}", apps);
    }

    private static async Task<(int Code, string Output)> KubectlAsync(string kubeconfig, params string[] args)
    {
        var start = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("--kubeconfig");
        start.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        return (process.ExitCode, await stdout + await stderr);
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

    private async Task<string> StartAsync(params string[] extra)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "gantry.dll"), "serve", "--data-dir", _dataDir, "--urls", _url }.Concat(extra))
        {
            start.ArgumentList.Add(arg);
        }
        _gateway = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        _gateway.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _gateway.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _gateway.BeginOutputReadLine();
        _gateway.BeginErrorReadLine();
        string Output()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
        using var probe = new HttpClient { BaseAddress = new Uri(_url + "/") };
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                // The banner follows readiness; its last line, with or without the sandbox, says it is all there.
                if ((await probe.GetAsync("readyz")).IsSuccessStatusCode && Output().Contains("Press Ctrl-C to stop.", StringComparison.Ordinal))
                {
                    return Output();
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
}
