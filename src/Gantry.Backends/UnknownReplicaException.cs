using Gantry.Core.Errors;

namespace Gantry.Backends;

public sealed class UnknownReplicaException(string replica, IEnumerable<string> known)
    : GantryException($"This job has no replica '{replica}'; it has: {string.Join(", ", known)}.")
{
    public string Replica { get; } = replica;
}
