using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Gantry.Bench.Load;

/// <summary>Sends the submissions: open loop on a schedule, or closed loop with fixed workers.</summary>
internal sealed class LoadRunner(LoadOptions options, HttpClient client)
{
    /// <summary>The submission: a Command job that would run `true`.</summary>
    public static readonly byte[] Body = Encoding.UTF8.GetBytes(
        """{"manifest": {"kind": "Command", "spec": {"command": ["true"], "resources": {"cpu": "100m", "memory": "64Mi"}}}, "queue": "default"}""");

    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan ErrorBackoff = TimeSpan.FromMilliseconds(20);

    private readonly Recorder _recorder = new(options.SuccessStatus);
    private readonly byte[] _body = options.BodyFile is null ? Body : File.ReadAllBytes(options.BodyFile);
    private readonly Uri _endpoint = new(options.Url, options.Path);
    private long _inFlight;

    public Recorder Recorder => _recorder;

    public async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        return options.OpenLoop ? await OpenLoopAsync(cancellationToken) : await ClosedLoopAsync(cancellationToken);
    }

    /// <summary>
    /// Send i is due at start + i/rate, whatever happened to the sends before it, and its latency
    /// counts from that due time: a stalled server shows up as latency instead of as fewer sends
    /// (no coordinated omission). At most --concurrency requests are in flight; a full window
    /// delays the next send, which its latency then includes.
    /// </summary>
    private async Task<Result> OpenLoopAsync(CancellationToken cancellationToken)
    {
        var rate = options.Rate!.Value;
        var ticksPerSend = Stopwatch.Frequency / rate;
        var total = (long)Math.Round(rate * (options.Warmup + options.Duration).TotalSeconds);
        var warmupCount = (long)Math.Round(rate * options.Warmup.TotalSeconds);
        using var window = new SemaphoreSlim(options.EffectiveConcurrency);
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmupCount * ticksPerSend);
        var measureEnd = start + (long)(total * ticksPerSend);

        long i = 0;
        while (i < total)
        {
            var due = Math.Min(total, (long)((Stopwatch.GetTimestamp() - start) / ticksPerSend) + 1);
            for (; i < due; i++)
            {
                var scheduled = start + (long)(i * ticksPerSend);
                await window.WaitAsync(cancellationToken);
                _ = SendReleasingAsync(window, scheduled, i >= warmupCount, cancellationToken);
            }
            if (i < total)
            {
                var next = start + (long)(i * ticksPerSend);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait, cancellationToken);
                }
            }
        }
        var unfinished = await DrainAsync(cancellationToken);
        return _recorder.Summarize(options, measureStart, measureEnd, unfinished);
    }

    private async Task SendReleasingAsync(SemaphoreSlim window, long scheduled, bool measured, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(scheduled, measured, cancellationToken);
        }
        finally
        {
            window.Release();
        }
    }

    /// <summary>--concurrency workers, each sending its next request as soon as the last one is answered.</summary>
    private async Task<Result> ClosedLoopAsync(CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(options.Warmup.TotalSeconds * Stopwatch.Frequency);
        var measureEnd = measureStart + (long)(options.Duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, options.EffectiveConcurrency).Select(async _ =>
        {
            await Task.Yield();
            long now;
            while ((now = Stopwatch.GetTimestamp()) < measureEnd && !cancellationToken.IsCancellationRequested)
            {
                if (!await SendAsync(now, now >= measureStart, cancellationToken))
                {
                    // The gateway is down or failing: do not spin on refused connections.
                    await Task.Delay(ErrorBackoff, cancellationToken);
                }
            }
        }).ToArray();
        await Task.WhenAll(workers);
        return _recorder.Summarize(options, measureStart, measureEnd, await DrainAsync(cancellationToken));
    }

    /// <summary>Sends one submission; false when it got no HTTP answer at all.</summary>
    private async Task<bool> SendAsync(long startTicks, bool measured, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        _recorder.Started();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ByteArrayContent(_body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var status = (int)response.StatusCode;
            _recorder.Completed(startTicks, Stopwatch.GetTimestamp(), measured, status, status == 201 ? ReadId(bytes) : null, null);
            return true;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
        {
            _recorder.Completed(startTicks, Stopwatch.GetTimestamp(), measured, 0, null, ErrorName(ex));
            return false;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<long> DrainAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(DrainLimit.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(10, cancellationToken);
        }
        return Interlocked.Read(ref _inFlight);
    }

    private static string ErrorName(Exception ex) => ex switch
    {
        HttpRequestException { HttpRequestError: var e } when e != HttpRequestError.Unknown => "http-" + e,
        TaskCanceledException => "timeout",
        _ => ex.GetType().Name,
    };

    /// <summary>The top-level "id" of a JobDto, without building a document.</summary>
    internal static string? ReadId(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.EndObject)
            {
                return null;
            }
            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                var isId = reader.ValueTextEquals("id"u8);
                reader.Read();
                if (isId && reader.TokenType == JsonTokenType.String)
                {
                    return reader.GetString();
                }
                reader.Skip();
            }
        }
        return null;
    }
}
