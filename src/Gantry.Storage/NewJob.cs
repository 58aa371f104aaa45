using Gantry.Core.Jobs;

namespace Gantry.Storage;

/// <summary>A job to insert, with the idempotency key and a hash of the request that carried it.</summary>
public sealed record NewJob(Job Job, string? IdempotencyKey = null, string? RequestHash = null);
