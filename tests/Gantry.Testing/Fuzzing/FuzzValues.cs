namespace Gantry.Testing.Fuzzing;

/// <summary>
/// The hostile values mutations draw from. Raw ones are spliced into JSON text as they are, so
/// they can be what a serializer would never write: NaN, lone surrogate escapes, 5,000 brackets.
/// </summary>
public static class FuzzValues
{
    public static readonly string[] RawJson =
    [
        "42", "-1", "0", "1.5", "true", "false", "null", "\"\"", "\"x\"", "[]", "{}", "[1,\"a\",null]", "{\"a\":1}",
        "1e308", "-1e308", "1e999", "-1e999", "9223372036854775808", "-9223372036854775809", "123456789012345678901234567890",
        "-0", "0.0000001", "2147483648", "-2147483649", "4294967296",
        "NaN", "Infinity", "-Infinity", "\"NaN\"", "\"Infinity\"", "\"-Infinity\"",
        "\"\\ud800\"", "\"\\udfff\"", "\"\\ud800x\"", "\"a\\udc00b\"", "\"\\u0000\"", "\"\\u0001\\u001f\\t\\n\\r\"",
        "\"😀\"", "\"\\u202e\"", "\"../../etc/passwd\"", "\"%s%n%x\"", "\"${HOME}\"", "\"'; DROP TABLE jobs; --\"",
        "\" \"", "\"a b\"", "\"-\"", "\"A\"", "\"0\"", "\"-1\"", "\"1Ei\"", "\"999999999999Ti\"", "\"1e3\"", "\"0.5m\"", "\"-500m\"",
        "\"default\"", "\"Command\"", "\"SparkApplication\"", "\"local\"", "\"admin\"", "\"user\"",
    ];

    public static readonly string[] QueryValues =
    [
        "", "-1", "0", "1", "500", "501", "999999999999999999999", "NaN", "Infinity", "1.5", "1e3", "true",
        "%00", "%C3%28", "%ED%A0%80", "%FF%FE", "%25", "%2F..%2F..", "..", "a%0Ab", "%0D%0AX-Injected:%201",
        "Queued", "Running,Succeeded", "Queued,,Running", "queued", "Bogus", "Command", "SparkApplication",
        "default", "local", "admin", "team=ml", "team!=ml", "team in (a,b)", "team notin (a)", "!team", "team",
        "team=", "=x", "((((", "a in (", "team==ml", "a,b,c,d", "x=y,,", "a=b=c", "😀", "%F0%9F%98%80",
        "driver", "worker-0", "master-0", "main", "ZZZZ", "AAAAAAAAAAAA", "eyJiIjoxfQ", "!!!!", "%20",
    ];

    public static readonly string?[] ContentTypes =
    [
        "text/plain", "application/xml", "", null, "application/json; charset=utf-8", "application/yaml", "text/yaml",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json;;;", "*/*",
        "application/merge-patch+json", "application/json; charset=utf-16", "application/octet-stream",
    ];

    /// <summary>A long run of the same character, so bodies near and past the size limits are tried too.</summary>
    public static string Long(Random random) => "\"" + new string('a', random.Next(4) switch { 0 => 300, 1 => 70_000, 2 => 270_000, _ => 1_100_000 }) + "\"";

    /// <summary>Brackets nested <c>depth</c> deep: at, just past and far past the depth limit.</summary>
    public static string Deep(Random random)
    {
        var depth = new[] { 10, 62, 63, 64, 65, 100, 5_000, 200_000 }[random.Next(8)];
        return random.Next(2) == 0
            ? new string('[', depth) + new string(']', depth)
            : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
    }

    /// <summary>A wide array, to pass node and batch limits.</summary>
    public static string Wide(Random random) => "[" + string.Join(",", Enumerable.Repeat("1", random.Next(2) == 0 ? 20_000 : 150_000)) + "]";
}
