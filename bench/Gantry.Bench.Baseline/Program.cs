using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;

// The baseline for docs/benchmarks.md: bare Kestrel, one endpoint, one SQLite row per
// submission, nothing else (no auth, no validation, no JSON model). What the hardware, Kestrel
// and SQLite cost; the gateway's figures over these show what Gantry's own layers cost.
//   --db PATH  --synchronous Full|Normal  --group-commit on|off  (plus the usual --urls)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
var path = builder.Configuration["db"] ?? "baseline.db";
var synchronous = builder.Configuration["synchronous"] ?? "Full";
var groupCommit = string.Equals(builder.Configuration["group-commit"], "on", StringComparison.OrdinalIgnoreCase);

await using var store = new RowStore(path, synchronous, groupCommit);
var app = builder.Build();
app.MapGet("/readyz", () => Results.Ok());
app.MapPost("/api/v1/jobs", async (HttpRequest request, CancellationToken cancellationToken) =>
{
    using var reader = new StreamReader(request.Body);
    var body = await reader.ReadToEndAsync(cancellationToken);
    var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
    await store.InsertAsync(id, body);
    // Answered only after the row's transaction committed, as the gateway does.
    return Results.Text($$"""{"id":"{{id}}"}""", "application/json", statusCode: StatusCodes.Status201Created);
});
Console.WriteLine($"baseline: sqlite {path}, synchronous={synchronous}, group commit {(groupCommit ? "on" : "off")}");
await app.RunAsync();

/// <summary>One connection, WAL; one transaction per insert, or one per batch of waiting inserts (group commit).</summary>
internal sealed class RowStore : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly Channel<(string Id, string Body, TaskCompletionSource Done)>? _channel;
    private readonly Task? _loop;

    public RowStore(string path, string synchronous, bool groupCommit)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWriteCreate }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = $"""
                PRAGMA journal_mode=WAL;
                PRAGMA synchronous={synchronous.ToUpperInvariant() switch { "FULL" => "FULL", "NORMAL" => "NORMAL", _ => throw new ArgumentException("synchronous: Full or Normal") }};
                CREATE TABLE IF NOT EXISTS jobs (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, body TEXT NOT NULL, created_at INTEGER NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }
        _insert = _connection.CreateCommand();
        _insert.CommandText = "INSERT INTO jobs (id, body, created_at) VALUES ($id, $body, $at)";
        _insert.Parameters.Add("$id", SqliteType.Text);
        _insert.Parameters.Add("$body", SqliteType.Text);
        _insert.Parameters.Add("$at", SqliteType.Integer);
        if (groupCommit)
        {
            _channel = Channel.CreateUnbounded<(string, string, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
            _loop = Task.Run(LoopAsync);
        }
    }

    public async Task InsertAsync(string id, string body)
    {
        if (_channel is not null)
        {
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await _channel.Writer.WriteAsync((id, body, done));
            await done.Task;
            return;
        }
        await _lock.WaitAsync();
        try
        {
            using var transaction = _connection.BeginTransaction();
            Insert(transaction, id, body);
            transaction.Commit();
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task LoopAsync()
    {
        var reader = _channel!.Reader;
        var batch = new List<(string Id, string Body, TaskCompletionSource Done)>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }
            try
            {
                using var transaction = _connection.BeginTransaction();
                foreach (var item in batch)
                {
                    Insert(transaction, item.Id, item.Body);
                }
                transaction.Commit();
                batch.ForEach(item => item.Done.TrySetResult());
            }
            catch (SqliteException ex)
            {
                batch.ForEach(item => item.Done.TrySetException(ex));
            }
        }
    }

    private void Insert(SqliteTransaction transaction, string id, string body)
    {
        _insert.Transaction = transaction;
        _insert.Parameters["$id"].Value = id;
        _insert.Parameters["$body"].Value = body;
        _insert.Parameters["$at"].Value = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        _insert.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _channel?.Writer.TryComplete();
        if (_loop is not null)
        {
            await _loop;
        }
        _insert.Dispose();
        await _connection.DisposeAsync();
        _lock.Dispose();
    }
}
