using Gantry.Core.Users;
using Gantry.Server.Hosting;
using Gantry.Storage;

namespace Gantry.Server.Auth;

/// <summary>
/// On first start, creates the user <c>admin</c> and its token, written to
/// &lt;data dir&gt;/admin.token readable by its owner only. Later starts read the file back
/// (if it is still there) so the token can be printed again.
/// </summary>
public sealed class AdminBootstrap(IGantryStore store, TimeProvider time)
{
    public const string AdminName = "admin";

    /// <summary>The admin token if this process knows it (created now or read from the file).</summary>
    public string? Token { get; private set; }

    public string TokenFile { get; private set; } = "";

    public async Task EnsureAsync(string dataDir, CancellationToken cancellationToken)
    {
        TokenFile = Path.Combine(dataDir, "admin.token");
        if (await store.Users.GetAsync(AdminName, cancellationToken) is null)
        {
            var token = ApiToken.New();
            await store.Users.CreateAsync(new User(AdminName, Role.Admin, time.GetUtcNow()), cancellationToken);
            await store.Tokens.AddAsync(
                new UserToken(ApiToken.NewId(), AdminName, "created by gantry serve on first start", time.GetUtcNow(), ExpiresAt: null, LastUsedAt: null),
                ApiToken.Hash(token), cancellationToken);
            await OwnerOnlyFile.WriteAsync(TokenFile, token + "\n", cancellationToken);
            Token = token;
            return;
        }
        if (File.Exists(TokenFile))
        {
            var token = (await File.ReadAllTextAsync(TokenFile, cancellationToken)).Trim();
            // Only echo a token the store still accepts.
            if (await store.Users.FindByTokenHashAsync(ApiToken.Hash(token), cancellationToken) is not null)
            {
                Token = token;
            }
        }
    }
}
