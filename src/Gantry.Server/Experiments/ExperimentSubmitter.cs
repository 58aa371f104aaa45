using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Gantry.Core.Errors;
using Gantry.Core.Experiments;
using Gantry.Core.Jobs;
using Gantry.Core.Kinds;
using Gantry.Core.Queues;
using Gantry.Core.Tuning;
using Gantry.Core.Validation;
using Gantry.Server.Auth;
using Gantry.Server.Manifests;
using Gantry.Server.Options;
using Gantry.Storage;
using Microsoft.Extensions.Options;

namespace Gantry.Server.Experiments;

/// <summary>
/// Turns a request into a stored experiment: the body is read like a job submission (JSON
/// envelope, bare JSON or YAML manifest), the Experiment checked with Katib's rules, the trial
/// template's kind must be one Gantry runs and the queue one the caller may submit to. The first
/// trial is the leader's controller's business, not this request's.
/// </summary>
public sealed class ExperimentSubmitter(IGantryStore store, JobKindRegistry kinds, IOptions<GantryOptions> options, TimeProvider time)
{
    public async Task<(ExperimentRun Experiment, bool Created)> SubmitAsync(
        byte[] body, string? contentType, Caller caller, string? idempotencyKey, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var submission = SubmissionReader.Read(body, contentType, errors, options.Value.Limits);
        var manifest = submission.Manifest;
        Core.Tuning.Experiment? spec = null;
        if (manifest is not null)
        {
            var check = ExperimentReader.Check(manifest);
            if (!check.Unsupported.IsEmpty)
            {
                check.Get(); // throws NotSupportedYetException naming the fields
            }
            Merge(check.Errors, errors);
            spec = check.Experiment;
            if (spec is not null && spec.TrialTemplate.Kind is { Length: > 0 } kind && !kinds.TryGet(kind, out _))
            {
                errors.Add("manifest.spec.trialTemplate.trialSpec.kind", $"'{kind}' is not a kind Gantry runs; use one of {string.Join(", ", kinds.Names)}");
            }
        }
        await CheckQueueAsync(submission.Queue, caller, errors, cancellationToken);
        errors.ThrowIfAny("The experiment has invalid fields.");

        var now = time.GetUtcNow();
        var id = JobId.New();
        var run = new ExperimentRun
        {
            Id = id,
            Name = spec!.Name ?? $"exp-{id}",
            Owner = caller.Name,
            OwnerGroups = caller.Groups,
            Queue = submission.Queue,
            Priority = submission.Priority,
            Labels = submission.Labels,
            Manifest = manifest!.ToJsonString(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        var hash = idempotencyKey is null ? null : Convert.ToHexStringLower(SHA256.HashData(body));
        return await store.Experiments.InsertAsync(run, idempotencyKey, hash, cancellationToken);
    }

    private async Task CheckQueueAsync(string name, Caller caller, ValidationErrors errors, CancellationToken cancellationToken)
    {
        if (!QueueRules.IsValidName(name))
        {
            errors.Add("queue", $"'{name}' is not a valid queue name");
            return;
        }
        if (await store.Queues.GetAsync(name, cancellationToken) is not { } queue)
        {
            var existing = (await store.Queues.ListAsync(cancellationToken)).Select(q => q.Name);
            errors.Add("queue", $"queue '{name}' does not exist; existing queues: {string.Join(", ", existing)}");
            return;
        }
        if (!caller.IsAdmin && !queue.Admits(caller.Name, caller.Groups))
        {
            throw new ForbiddenException(
                $"{caller.Name} may not submit to queue '{queue.Name}', where this experiment's trials would run: neither you nor a group of yours is on its access list.");
        }
    }

    private static void Merge(ValidationErrors from, ValidationErrors into)
    {
        foreach (var (field, messages) in from.ToDictionary())
        {
            foreach (var message in messages)
            {
                into.Add(field, message);
            }
        }
    }

    /// <summary>The Experiment a stored run holds, read again (it was valid when stored).</summary>
    public static Core.Tuning.Experiment Read(ExperimentRun run) =>
        ExperimentReader.Read(JsonNode.Parse(run.Manifest) as JsonObject
            ?? throw new InvalidOperationException($"Experiment {run.Id}'s stored manifest is not an object."));
}
