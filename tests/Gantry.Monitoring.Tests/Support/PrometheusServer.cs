using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Monitoring.Tests.Support;

/// <summary>
/// Debian's Prometheus server, started by the test on a free loopback port with its own config and
/// data directory, scraping one target every second; killed and cleaned up on dispose.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private PrometheusServer(Process process, string directory, string url)
    {
        _process = process;
        _directory = directory;
        Url = url;
        _http = new HttpClient { BaseAddress = new Uri(url + "/"), Timeout = TimeSpan.FromSeconds(10) };
    }

    public string Url { get; }

    public static async Task<PrometheusServer> StartAsync(Uri target)
    {
        var directory = Path.Combine(Path.GetTempPath(), "gantry-prometheus-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(directory);
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: gantry
                metrics_path: /metrics
                static_configs:
                  - targets: ["{target.Authority}"]
            """);
        var port = FreePorts.Next();
        var start = new ProcessStartInfo(Tool.Require(Tool.Prometheus))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
        {
            $"--config.file={config}",
            $"--storage.tsdb.path={Path.Combine(directory, "data")}",
            $"--web.listen-address=127.0.0.1:{port}",
            "--log.level=warn",
        })
        {
            start.ArgumentList.Add(argument);
        }
        var process = Process.Start(start)!;
        // Drained so that a chatty server never blocks on a full pipe.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new PrometheusServer(process, directory, $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>The value of an instant PromQL query that answers one series; null while it answers none.</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        var body = JsonNode.Parse(await _http.GetStringAsync("api/v1/query?query=" + Uri.EscapeDataString(promql)))!;
        Assert.Equal("success", body["status"]!.GetValue<string>());
        var result = body["data"]!["result"]!.AsArray();
        return result.Count == 0 ? null : double.Parse(result[0]!["value"]![1]!.GetValue<string>(), CultureInfo.InvariantCulture);
    }

    /// <summary>Whether Prometheus accepts <paramref name="promql"/> (parses and evaluates it); the error it gives otherwise.</summary>
    public async Task<string?> ProblemWithAsync(string promql)
    {
        using var response = await _http.GetAsync("api/v1/query?query=" + Uri.EscapeDataString(promql));
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return body["status"]!.GetValue<string>() == "success" ? null : body["error"]?.GetValue<string>() ?? "failed";
    }

    /// <summary>The health of the scrape target as Prometheus last saw it ("up", "down", "unknown").</summary>
    public async Task<string?> TargetHealthAsync()
    {
        var body = JsonNode.Parse(await _http.GetStringAsync("api/v1/targets"))!;
        return body["data"]!["activeTargets"]!.AsArray().FirstOrDefault()?["health"]?.GetValue<string>();
    }

    private async Task WaitReadyAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(_process.HasExited, $"prometheus exited with {(_process.HasExited ? _process.ExitCode : 0)} at start");
            try
            {
                using var response = await _http.GetAsync("-/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        Assert.Fail("prometheus was not ready within 30 s");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp directory.
        }
    }
}
