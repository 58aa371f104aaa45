namespace Gantry.Testing.Fuzzing;

/// <summary>One request the fuzzer sends: which endpoint it aims at (for the report), and the bytes.</summary>
public sealed record FuzzRequest(string Endpoint, HttpMethod Method, string Path, string? ContentType, byte[]? Body, string? Token = null);
