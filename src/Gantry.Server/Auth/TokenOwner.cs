using Gantry.Core.Users;

namespace Gantry.Server.Auth;

/// <summary>A user's token as authentication sees it: whose it is and what the store holds about it.</summary>
public sealed record TokenOwner(User User, UserToken Token);
