using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Gantry.Bench.Load;

LoadOptions options;
try
{
    options = LoadOptions.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException or IOException)
{
    Console.Error.WriteLine($"error: {ex.Message}");
    Console.Error.WriteLine(LoadOptions.Usage);
    return 2;
}
if (options.Command == "help")
{
    Console.WriteLine(LoadOptions.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = options.EffectiveConnections,
    PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
    ConnectTimeout = TimeSpan.FromSeconds(5),
    UseProxy = false,
    UseCookies = false,
    AutomaticDecompression = DecompressionMethods.None,
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
var inv = CultureInfo.InvariantCulture;

if (options.Command == "verify")
{
    var ids = File.ReadAllLines(options.IdsIn!).Where(l => l.Length > 0).ToList();
    var (expected, found, sample) = await Verifier.VerifyAsync(client, options.Url, ids, options.VerifyPageSize, cancel.Token);
    Console.WriteLine(string.Create(inv, $"verify: {expected} ids answered 201, {found} stored, {expected - found} missing"));
    if (sample.Count > 0)
    {
        Console.WriteLine("missing (first 10): " + string.Join(' ', sample));
    }
    return expected == found ? 0 : 1;
}

var runner = new LoadRunner(options, client);
var result = await runner.RunAsync(cancel.Token);
// The generator shares the machine's cores with the server: say what it used.
result.ClientCpuMs = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
if (options.VerifyPageSize > 0)
{
    var (expected, found, sample) = await Verifier.VerifyAsync(client, options.Url, runner.Recorder.Ids(), options.VerifyPageSize, cancel.Token);
    result.VerifyExpected = expected;
    result.VerifyFound = found;
    if (sample.Count > 0)
    {
        Console.WriteLine("missing (first 10): " + string.Join(' ', sample));
    }
}
if (options.IdsOut is not null)
{
    await File.WriteAllLinesAsync(options.IdsOut, runner.Recorder.Ids(), cancel.Token);
}

var mode = options.OpenLoop
    ? string.Create(inv, $"open loop at {options.Rate}/s, at most {result.Concurrency} in flight")
    : string.Create(inv, $"closed loop, {result.Concurrency} workers");
Console.WriteLine(string.Create(inv, $"{(options.Label.Length > 0 ? options.Label + ": " : "")}{mode}, {result.Connections} connections, {result.DurationSeconds}s measured after {result.WarmupSeconds}s warm-up"));
var errors = result.Errors.Count == 0 ? "none" : string.Join(", ", result.Errors.Select(e => $"{e.Key}={e.Value}"));
Console.WriteLine(string.Create(inv, $"  sent {result.Sent}, 201 {result.Created}, errors {errors}{(result.Unfinished > 0 ? $", unfinished {result.Unfinished}" : "")}"));
Console.WriteLine(string.Create(inv, $"  measured: {result.MeasuredSent} sent, {result.MeasuredCreated} 201"));
Console.WriteLine(string.Create(inv, $"  submissions/s {result.SubmissionsPerSecond:F0}   (load generator CPU {result.ClientCpuMs:F0} ms)"));
Console.WriteLine(string.Create(inv, $"  latency ms (201s{(options.OpenLoop ? ", from scheduled send time" : "")}): p50 {result.P50Ms:F2}  p90 {result.P90Ms:F2}  p99 {result.P99Ms:F2}  max {result.MaxMs:F2}"));
if (result.VerifyExpected is { } verifyExpected)
{
    Console.WriteLine(string.Create(inv, $"  verify: {verifyExpected} ids answered 201, {result.VerifyFound} stored, {verifyExpected - result.VerifyFound} missing"));
}
if (options.JsonOut is not null)
{
    await File.WriteAllTextAsync(options.JsonOut, JsonSerializer.Serialize(result, JsonFormat.Options), cancel.Token);
}
return result.VerifyExpected is { } e && e != result.VerifyFound ? 1 : 0;

internal static class JsonFormat
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
