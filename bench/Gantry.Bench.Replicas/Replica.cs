using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace Gantry.Bench.Replicas;

/// <summary>One <c>gantry serve</c> process on the shared PostgreSQL database, restartable on its port and data dir.</summary>
internal sealed class Replica(string gantryDll, string dataDir, int port, string connectionString) : IAsyncDisposable
{
    private Process? _process;

    public string Url { get; } = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";

    public string DataDir => dataDir;

    public int Pid => _process?.Id ?? 0;

    public bool Running => _process is { HasExited: false };

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { gantryDll, "serve", "--data-dir", dataDir, "--urls", Url, "--ui-urls", "none", "--store", "postgres", "--connection-string", connectionString })
        {
            start.ArgumentList.Add(arg);
        }
        // Logs are not what is measured: keep them off the console.
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var probe = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"replica {Url} exited while starting ({_process.ExitCode})");
            }
            try
            {
                if ((await probe.GetAsync("readyz", cancellationToken)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, cancellationToken);
        }
        throw new TimeoutException($"replica {Url} was not ready within 2 minutes");
    }

    /// <summary>Sends SIGKILL or SIGTERM and waits for the exit; returns when the signal was sent.</summary>
    public async Task<DateTimeOffset> SignalAsync(bool kill, CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        var sent = DateTimeOffset.UtcNow;
        using (var signal = Process.Start("kill", [kill ? "-KILL" : "-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await signal.WaitForExitAsync(cancellationToken);
        }
        await process.WaitForExitAsync(cancellationToken);
        return sent;
    }

    /// <summary>User plus system CPU time of the process so far.</summary>
    public TimeSpan CpuTime()
    {
        _process!.Refresh();
        return _process.TotalProcessorTime;
    }

    public HttpClient Client(string token)
    {
        var client = new HttpClient { BaseAddress = new Uri(Url + "/"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process?.Dispose();
    }
}
