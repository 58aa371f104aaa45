namespace Gantry.Server.Api;

public sealed record TokenListDto(IReadOnlyList<TokenDto> Items);
