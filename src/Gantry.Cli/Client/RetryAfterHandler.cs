using System.Net;
using Polly;
using Polly.Retry;

namespace Gantry.Cli.Client;

/// <summary>
/// Waits and tries again when the gateway says "not now": 429 (a rate limit) and 503, for as
/// long as its <c>Retry-After</c> asks, up to <see cref="MaxWait"/> per wait and
/// <see cref="MaxRetries"/> times, so a script that submits a sweep slows down instead of failing.
/// </summary>
public sealed class RetryAfterHandler : DelegatingHandler
{
    public const int MaxRetries = 5;
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;

    public RetryAfterHandler(HttpMessageHandler inner, TimeSpan? fallbackDelay = null) : base(inner)
    {
        var fallback = fallbackDelay ?? TimeSpan.FromSeconds(1);
        _pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = MaxRetries,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(Delay(args.Outcome.Result, fallback)),
                OnRetry = args =>
                {
                    // The refused answer is not read; free its connection before waiting.
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        _pipeline.ExecuteAsync(async token => await base.SendAsync(request, token), cancellationToken).AsTask();

    private static TimeSpan Delay(HttpResponseMessage? response, TimeSpan fallback)
    {
        var retryAfter = response?.Headers.RetryAfter;
        var wait = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : fallback);
        return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > MaxWait ? MaxWait : wait;
    }
}
