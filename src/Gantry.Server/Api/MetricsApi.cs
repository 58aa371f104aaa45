using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Jobs;
using Gantry.Core.Metrics;
using Gantry.Core.Validation;
using Gantry.Server.Auth;
using Gantry.Server.Jobs;
using Gantry.Server.Options;
using Gantry.Server.RateLimiting;
using Gantry.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Api;

/// <summary>
/// <c>/api/v1/jobs/{id}/metrics</c>: POST pushes observations (the job's own token, its owner
/// or an admin); GET reads them back, all or by <c>name</c>.
/// </summary>
public static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this RouteGroupBuilder api)
    {
        var metrics = api.MapGroup("/jobs/{id}/metrics").WithTags("Metrics");
        metrics.MapPost("/", PushAsync).WithName("PushJobMetrics")
            .WithSummary("Push observations {metrics: [{name, value, step, timestamp}]}; GANTRY_JOB_TOKEN inside the job.")
            .Accepts<PushMetricsRequest>("application/json")
            .Produces<PushMetricsResult>()
            .ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        metrics.MapGet("/", ListAsync).WithName("GetJobMetrics").WithSummary("The job's stored observations, by name, step and time.");
        return api;
    }

    private static async Task<Ok<PushMetricsResult>> PushAsync(
        string id, HttpContext http, IGantryStore store, RequestRateLimiter limiter, IOptions<GantryOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var caller = Caller.From(http.User);
        limiter.MetricPush(caller);
        var job = JobId.IsWellFormed(id) ? await store.Jobs.GetAsync(id, cancellationToken) : null;
        if (job is null || (caller.JobId != job.Id && !caller.CanSee(job.Owner)))
        {
            throw new NotFoundException("Job", id);
        }
        var body = await RequestBody.ReadAsync(http.Request, options.Value.Limits.MaxBodyBytes, cancellationToken);
        var observations = Read(body, time.GetUtcNow(), options.Value.Limits);
        await store.Metrics.AppendAsync(job.Id, observations, cancellationToken);
        return TypedResults.Ok(new PushMetricsResult(observations.Count));
    }

    private static async Task<Ok<ObservationListDto>> ListAsync(
        string id, HttpContext http, JobLifecycle lifecycle, IGantryStore store, CancellationToken cancellationToken)
    {
        var job = await lifecycle.GetVisibleAsync(id, Caller.From(http.User), cancellationToken);
        var observations = await store.Metrics.ListAsync(job.Id, QueryReader.String(http.Request, "name"), cancellationToken);
        return TypedResults.Ok(new ObservationListDto(observations.Select(o => new ObservationDto(o.Name, o.Value, o.Step, o.Timestamp)).ToList()));
    }

    /// <summary>Reads and checks a push, naming every bad observation by its index.</summary>
    internal static IReadOnlyList<Observation> Read(byte[] body, DateTimeOffset now, LimitsOptions limits)
    {
        var root = JsonBody.Object(body, "the observations: {\"metrics\": [...]}", limits.Document);
        var items = root["metrics"] as JsonArray ?? throw ValidationException.For("metrics", "is required and must be an array of {name, value, step, timestamp}");
        if (items.Count > limits.MaxMetricsPerPush)
        {
            throw new LimitExceededException("metrics", "Gantry:Limits:MaxMetricsPerPush", limits.MaxMetricsPerPush,
                $"holds {items.Count} observations; push at most {limits.MaxMetricsPerPush} at a time", tooLarge: true);
        }
        var errors = new ValidationErrors();
        var observations = new List<Observation>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (ReadOne(items[i], $"metrics[{i}]", now, errors) is { } observation)
            {
                observations.Add(observation);
            }
        }
        errors.ThrowIfAny("Some observations are invalid.");
        return observations;
    }

    private static Observation? ReadOne(JsonNode? node, string path, DateTimeOffset now, ValidationErrors errors)
    {
        if (node is not JsonObject item)
        {
            errors.Add(path, "must be an object {name, value, step, timestamp}");
            return null;
        }
        var name = item["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String ? n.GetValue<string>() : null;
        if (!MetricRules.IsValidName(name))
        {
            errors.Add($"{path}.name", $"must be 1-{MetricRules.MaxNameLength} letters, digits, '_', '.', '/', ':' or '-', starting with a letter or '_'");
        }
        double? value = item["value"] is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;
        if (value is null || !double.IsFinite(value.Value))
        {
            errors.Add($"{path}.value", "must be a finite number");
        }
        long? step = null;
        if (item["step"] is { } stepNode)
        {
            if (stepNode is JsonValue s && s.GetValueKind() == JsonValueKind.Number && s.TryGetValue<long>(out var whole) && whole >= 0)
            {
                step = whole;
            }
            else
            {
                errors.Add($"{path}.step", "must be a whole number of at least 0");
            }
        }
        var timestamp = Timestamp(item["timestamp"], $"{path}.timestamp", now, errors);
        return name is null || value is null || errors.Has($"{path}.name") || errors.Has($"{path}.value") ? null : new Observation(name, value.Value, step, timestamp);
    }

    /// <summary>An ISO 8601 string or Unix seconds; absent means now.</summary>
    private static DateTimeOffset Timestamp(JsonNode? node, string path, DateTimeOffset now, ValidationErrors errors)
    {
        switch (node)
        {
            case null:
                return now;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String
                && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed):
                return parsed;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.GetValue<double>() is var seconds && seconds is >= 0 and < 253402300800:
                return DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));
            default:
                errors.Add(path, "must be an ISO 8601 time or Unix seconds");
                return now;
        }
    }
}

public sealed record PushMetricsRequest(IReadOnlyList<ObservationDto> Metrics);

public sealed record PushMetricsResult(int Accepted);

public sealed record ObservationDto(string Name, double Value, long? Step, DateTimeOffset? Timestamp);

public sealed record ObservationListDto(IReadOnlyList<ObservationDto> Items);
