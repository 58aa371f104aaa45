using System.Diagnostics;
using System.Text.Json.Nodes;
using Gantry.Testing;

namespace Gantry.Server.Tests.Identity;

/// <summary>
/// A notebook's view: a Python process using the SDK with nothing but a projected-style token file
/// (GANTRY_TOKEN_FILE, issued by the sandbox cluster through a TokenRequest) works as the
/// namespace's user, cannot see another user's job, and follows the file when it is replaced.
/// </summary>
public sealed class NotebookSdkTests(NotebookClusterFixture fixture) : IClassFixture<NotebookClusterFixture>
{
    private const string Script = """
        import json, os, sys
        import gantry
        from gantry.errors import NotFound

        client = gantry.Client(retries=0)
        me = client.whoami().name
        job = client.submit({"kind": "Command", "spec": {"command": ["sleep", "600"], "resources": {"cpu": "100m", "memory": "64Mi"}}},
                            name="from-notebook")
        listed = [j.id for j in client.jobs()]
        try:
            client.job(sys.argv[1]).state
            saw_other = True
        except NotFound:
            saw_other = False
        cancelled = job.cancel().state
        # The kubelet rotates the file by swapping it; here it is swapped for bob's namespace's token.
        staging = os.environ["GANTRY_TOKEN_FILE"] + ".new"
        with open(staging, "w") as f:
            f.write(sys.argv[2])
        os.replace(staging, os.environ["GANTRY_TOKEN_FILE"])
        after = client.whoami().name
        print(json.dumps({"me": me, "owner": job.owner, "job": job.id, "listed": listed, "saw_other": saw_other,
                          "cancelled": cancelled, "after_rotation": after}))
        """;

    [Fact]
    public async Task The_sdk_with_only_a_token_file_submits_lists_and_cancels_as_the_namespaces_user()
    {
        using var bob = fixture.ClientWith(await fixture.NotebookTokenAsync("team-bob"));
        var bobsJob = await bob.SubmitAsync(TestJobs.Shell("sleep 600"));
        var dir = Directory.CreateTempSubdirectory("gantry-notebook-");
        var tokenFile = Path.Combine(dir.FullName, "token");
        await File.WriteAllTextAsync(tokenFile, await fixture.NotebookTokenAsync("team-ann"));

        var result = await RunPythonAsync(tokenFile, bobsJob.Id(), await fixture.NotebookTokenAsync("team-bob"));

        Assert.Equal("ann", result["me"]!.GetValue<string>());
        Assert.Equal("ann", result["owner"]!.GetValue<string>());
        Assert.Contains(result["job"]!.GetValue<string>(), result["listed"]!.AsArray().Select(j => j!.GetValue<string>()));
        Assert.DoesNotContain(bobsJob.Id(), result["listed"]!.AsArray().Select(j => j!.GetValue<string>()));
        Assert.False(result["saw_other"]!.GetValue<bool>());
        Assert.Contains(result["cancelled"]!.GetValue<string>(), new[] { "Cancelling", "Cancelled" });
        Assert.Equal("bob", result["after_rotation"]!.GetValue<string>());
        await bob.PostAsync($"api/v1/jobs/{bobsJob.Id()}/cancel", null);
        dir.Delete(recursive: true);
    }

    private async Task<JsonObject> RunPythonAsync(string tokenFile, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(Script);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("GANTRY_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }
        start.Environment["PYTHONPATH"] = SdkDirectory();
        start.Environment["GANTRY_URL"] = fixture.Gateway.Url;
        start.Environment["GANTRY_TOKEN_FILE"] = tokenFile;
        // No ~/.gantry to fall back on: the token file is all it has.
        start.Environment["GANTRY_HOME"] = Path.GetDirectoryName(tokenFile);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"python exited {process.ExitCode}: {await errors}");
        return JsonNode.Parse((await output).Trim().Split('\n')[^1])!.AsObject();
    }

    private static string SdkDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "sdk", "python");
            if (File.Exists(Path.Combine(candidate, "gantry", "__init__.py")))
            {
                return candidate;
            }
        }
        throw new DirectoryNotFoundException($"No sdk/python above {AppContext.BaseDirectory}.");
    }
}
