namespace Gantry.Backends;

/// <summary>
/// A dispatch failed. <see cref="Retryable"/> says whether trying again (here or elsewhere)
/// may help, or the job itself is at fault and should fail.
/// </summary>
public sealed class DispatchException(string message, bool retryable, Exception? inner = null) : Exception(message, inner)
{
    public bool Retryable { get; } = retryable;
}
