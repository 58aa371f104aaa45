using System.Globalization;

namespace Gantry.Bench.Load;

/// <summary>Command-line options; hand-parsed so the tool has no dependencies.</summary>
internal sealed class LoadOptions
{
    public const string Usage = """
        gantry-bench-load: submits jobs to POST /api/v1/jobs and prints submissions/s and latency.

          run (default):
            --url URL            gateway base URL (loopback only), e.g. http://127.0.0.1:8080
            --token TOKEN        bearer token (or --token-file FILE)
            --rate N | --max     open loop at N submissions/s (latency from the scheduled send time)
                                 or closed loop: --concurrency workers send back to back
            --duration 10s       measured time (after the warm-up)
            --warmup 2s          time sent but not measured
            --concurrency C      closed loop: workers (default 64); open loop: most requests in flight (default 512)
            --connections N      HTTP/1.1 connections (default: concurrency)
            --verify N           after the run, list jobs N per page and check every 201 id is stored
            --ids-out FILE       write every id answered 201 to FILE, one a line
            --json FILE          write the figures as JSON
            --label TEXT         name printed with the figures
            --path PATH          endpoint (default /api/v1/jobs)

          verify --url URL --token TOKEN --ids FILE [--verify N]
                                 check that every id in FILE is stored (after a restart, say)
        """;

    public string Command { get; private set; } = "run";
    public Uri Url { get; private set; } = new("http://127.0.0.1:8080");
    public string Token { get; private set; } = "";
    public double? Rate { get; private set; }
    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(10);
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(2);
    public int? Concurrency { get; private set; }
    public int? Connections { get; private set; }
    public int VerifyPageSize { get; private set; }
    public string? IdsOut { get; private set; }
    public string? IdsIn { get; private set; }
    public string? JsonOut { get; private set; }
    public string Label { get; private set; } = "";
    public string Path { get; private set; } = "/api/v1/jobs";

    /// <summary>Another body to send (e.g. a batch of 100 metric observations) instead of the submission.</summary>
    public string? BodyFile { get; private set; }

    /// <summary>The status that counts as accepted: 201 for submissions, 200 for metric pushes.</summary>
    public int SuccessStatus { get; private set; } = 201;

    public bool OpenLoop => Rate is not null;
    public int EffectiveConcurrency => Concurrency ?? (OpenLoop ? 512 : 64);
    public int EffectiveConnections => Connections ?? EffectiveConcurrency;

    public static LoadOptions Parse(string[] args)
    {
        var o = new LoadOptions();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-'))
        {
            o.Command = args[0];
            i = 1;
        }
        var max = false;
        for (; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--url": o.Url = new Uri(Next()); break;
                case "--token": o.Token = Next().Trim(); break;
                case "--token-file": o.Token = File.ReadAllText(Next()).Trim(); break;
                case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--max": max = true; break;
                case "--duration": o.Duration = ParseTime(Next()); break;
                case "--warmup": o.Warmup = ParseTime(Next()); break;
                case "--concurrency": o.Concurrency = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--connections": o.Connections = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--verify": o.VerifyPageSize = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--ids-out": o.IdsOut = Next(); break;
                case "--ids": o.IdsIn = Next(); break;
                case "--json": o.JsonOut = Next(); break;
                case "--label": o.Label = Next(); break;
                case "--path": o.Path = Next(); break;
                case "--body-file": o.BodyFile = Next(); break;
                case "--success-status": o.SuccessStatus = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "-h" or "--help": o.Command = "help"; break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }
        if (o.Command == "help")
        {
            return o;
        }
        if (!o.Url.IsLoopback)
        {
            // Load is only ever sent to this machine.
            throw new ArgumentException($"--url must be a loopback address, not {o.Url.Host}");
        }
        if (o.Command == "run")
        {
            if (max == o.Rate is not null)
            {
                throw new ArgumentException("give exactly one of --rate N and --max");
            }
            if (o.Rate is <= 0 or > 200_000)
            {
                throw new ArgumentException("--rate must be between 1 and 200000");
            }
            if (o.Duration <= TimeSpan.Zero || o.Duration > TimeSpan.FromMinutes(30) || o.Warmup < TimeSpan.Zero || o.Warmup > TimeSpan.FromMinutes(5))
            {
                throw new ArgumentException("--duration must be in (0, 30m] and --warmup in [0, 5m]");
            }
            if (o.EffectiveConcurrency is < 1 or > 10_000 || o.EffectiveConnections is < 1 or > 10_000)
            {
                throw new ArgumentException("--concurrency and --connections must be between 1 and 10000");
            }
        }
        else if (o.Command == "verify")
        {
            if (o.IdsIn is null)
            {
                throw new ArgumentException("verify needs --ids FILE");
            }
            if (o.VerifyPageSize == 0)
            {
                o.VerifyPageSize = 500;
            }
        }
        else
        {
            throw new ArgumentException($"unknown command {o.Command}");
        }
        return o;
    }

    /// <summary>"10s", "500ms", "2m" or a bare number of seconds.</summary>
    public static TimeSpan ParseTime(string text)
    {
        static double N(string s) => double.Parse(s, CultureInfo.InvariantCulture);
        if (text.EndsWith("ms", StringComparison.Ordinal))
        {
            return TimeSpan.FromMilliseconds(N(text[..^2]));
        }
        if (text.EndsWith('s'))
        {
            return TimeSpan.FromSeconds(N(text[..^1]));
        }
        if (text.EndsWith('m'))
        {
            return TimeSpan.FromMinutes(N(text[..^1]));
        }
        return TimeSpan.FromSeconds(N(text));
    }
}
