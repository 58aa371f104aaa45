namespace Gantry.Server.Auth;

/// <summary>Authentication failed because the token's time is up: the one failure worth telling the caller apart from "not valid".</summary>
public sealed class TokenExpiredException() : Exception("The token expired.");
