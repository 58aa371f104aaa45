namespace Gantry.Server.Api;

/// <summary>The body of <c>POST /api/v1/session</c>, for the OpenAPI document (<see cref="SessionRequestReader"/> reads it).</summary>
public sealed record SessionRequest(string Token);
