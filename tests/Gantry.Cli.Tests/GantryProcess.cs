using System.Diagnostics;
using System.Text;

namespace Gantry.Cli.Tests;

/// <summary>`gantry ...` as a real process (the built gantry.dll under dotnet), its output captured, for signals and exit codes.</summary>
public sealed class GantryProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private GantryProcess(Process process) => _process = process;

    public int Id => _process.Id;

    /// <summary>When it exited (kill -9 included), by this machine's clock.</summary>
    public DateTimeOffset ExitTime => new(_process.ExitTime.ToUniversalTime(), TimeSpan.Zero);

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it printed so far, stdout and stderr interleaved.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static GantryProcess Start(params string[] args) => Start(new Dictionary<string, string>(), args);

    /// <summary>Starts it with <paramref name="environment"/> added to this process's environment (Gantry__Section__Key settings).</summary>
    public static GantryProcess Start(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "gantry.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        var started = new GantryProcess(Process.Start(start)!);
        started._process.OutputDataReceived += (_, e) => started.Append(e.Data);
        started._process.ErrorDataReceived += (_, e) => started.Append(e.Data);
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        return started;
    }

    /// <summary>Waits until it has printed <paramref name="text"/>; fails if it exits first or the time runs out.</summary>
    public async Task<string> WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return Output;
            }
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync();
                Assert.Fail($"gantry exited ({_process.ExitCode}) before printing '{text}': {Output}");
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"gantry did not print '{text}' within {timeout}: {Output}");
    }

    /// <summary>Its exit code, once it has exited and its output is all read.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>Sends a signal by name (TERM, INT), as a service manager or a terminal would.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }

    /// <summary>kill -9: no clean-up of any kind.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await KillAsync();
        }
        _process.Dispose();
    }
}
