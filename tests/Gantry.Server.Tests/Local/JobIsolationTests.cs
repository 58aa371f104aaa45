using System.Text.Json.Nodes;
using Gantry.Backends.Local;
using Gantry.Server.Clusters;
using Gantry.Testing;

namespace Gantry.Server.Tests.Local;

/// <summary>
/// Issue 13: a job of an ordinary user cannot read the gateway's secrets (admin token, database
/// with the key ring, the key ring's key) or another user's job directory, while its own work
/// still runs. Run against real processes, as the tests' root gateway runs them ("users"), and in
/// a real bubblewrap sandbox when bwrap works here.
/// </summary>
public sealed class JobIsolationTests
{
    // Each probe prints DENIED or LEAKED with its name; the job's exit code counts the leaks.
    private static string Probes(TestGateway gateway, string otherJob) => string.Join(" ", new[]
    {
        Probe("admin-token", $"cat {gateway.DataDir}/admin.token"),
        Probe("database", $"cat {gateway.DataDir}/gantry.db"),
        Probe("key-ring-key", $"cat {gateway.DataDir}/{KeyRingKey.DefaultFileName}"),
        Probe("data-dir-listing", $"ls {gateway.DataDir}/ | grep -q ."),
        Probe("other-work-file", $"cat {gateway.JobsDir}/{otherJob}/work/secret.txt"),
        Probe("other-work-listing", $"ls {gateway.JobsDir}/{otherJob}/work/ | grep -q ."),
        Probe("other-log", $"cat {gateway.JobsDir}/{otherJob}/output.log"),
        Probe("jobs-listing", $"ls {gateway.JobsDir}/ | grep -v -x \"$GANTRY_JOB_ID\" | grep -q ."),
        Probe("gateway-environment", $"cat /proc/{Environment.ProcessId}/environ"),
        Probe("gateway-secrets-in-env", "env | grep -i -e '^gantry__' -e '^gantry_token=' -e '^gantry_keyring'"),
    }) +
        // The symlink attack: the job makes its own log a link to the admin token, for the gateway to serve.
        // Under bubblewrap it may succeed, in the sandbox's empty tmpfs, which is not where the gateway reads.
        $" ln -sf {gateway.DataDir}/admin.token ../output.log 2>/dev/null; echo tried-link; exit $leaks";

    private static string Probe(string name, string command) =>
        $"if {command} >/dev/null 2>&1; then echo LEAKED {name}; leaks=$((leaks+1)); else echo DENIED {name}; fi;";

    [RootFact]
    public async Task Under_users_a_second_users_jobs_cannot_read_the_gateways_secrets_or_another_users_job_but_run_their_own_work()
    {
        await using var gateway = await TestGateway.StartAsync();
        await AssertIsolatedAsync(gateway, expectOwnUid: true);
    }

    [BubblewrapFact]
    public async Task Under_bubblewrap_a_second_users_jobs_cannot_read_the_gateways_secrets_or_another_users_job_but_run_their_own_work()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gantry:Local:Isolation"] = "bubblewrap" });
        await AssertIsolatedAsync(gateway, expectOwnUid: false);
    }

    private static async Task AssertIsolatedAsync(TestGateway gateway, bool expectOwnUid)
    {
        Environment.SetEnvironmentVariable("Gantry__Probe__Secret", "gateway-configuration-secret");
        using var carol = await gateway.UserClientAsync("carol");
        using var bob = await gateway.UserClientAsync("bob");
        var carols = await carol.SubmitAsync(TestJobs.Shell("echo carol-secret > secret.txt; echo carol-log-line; id -u"));
        Assert.Equal("Succeeded", (await carol.WaitForEndAsync(carols.Id())).State());

        var probe = await bob.SubmitAsync(TestJobs.Shell("leaks=0; " + Probes(gateway, carols.Id())));
        var probed = await bob.WaitForEndAsync(probe.Id());
        var output = await bob.GetStringAsync($"api/v1/jobs/{probe.Id()}/logs");

        Assert.DoesNotContain("LEAKED", output, StringComparison.Ordinal);
        Assert.Equal(10, output.Split('\n').Count(l => l.StartsWith("DENIED ", StringComparison.Ordinal)));
        Assert.Contains("tried-link", output, StringComparison.Ordinal);
        Assert.Equal("Succeeded", probed.State());
        Assert.DoesNotContain(gateway.AdminToken, output, StringComparison.Ordinal);
        Assert.Null(File.ResolveLinkTarget(Path.Combine(gateway.JobsDir, probe.Id(), "output.log"), returnFinalTarget: false));

        // A normal job of the same user runs, writes in its work dir, and its log is served.
        var work = await bob.SubmitAsync(TestJobs.Shell("echo bob-data > result.txt; cat result.txt; id -u; echo home=$HOME"));
        Assert.Equal("Succeeded", (await bob.WaitForEndAsync(work.Id())).State());
        var lines = (await bob.GetStringAsync($"api/v1/jobs/{work.Id()}/logs")).Split('\n');
        Assert.Equal("bob-data", lines[0]);
        Assert.Equal($"home={Path.Combine(gateway.JobsDir, work.Id(), "work")}", lines[2]);
        var carolsLines = (await carol.GetStringAsync($"api/v1/jobs/{carols.Id()}/logs")).Split('\n');
        Assert.Equal("carol-log-line", carolsLines[0]);
        if (expectOwnUid)
        {
            // Two users, two uids, neither root's.
            Assert.NotEqual("0", lines[1]);
            Assert.NotEqual(lines[1], carolsLines[1]);
            Assert.True(int.Parse(lines[1]) >= 200_000, lines[1]);
        }
    }

    [Fact]
    public async Task Under_admins_only_an_admins_job_runs_locally_and_a_users_job_fails_saying_why()
    {
        await using var gateway = await TestGateway.StartAsync(new Dictionary<string, string?> { ["Gantry:Local:Isolation"] = "admins-only" });
        using var admin = gateway.Client();
        using var bob = await gateway.UserClientAsync("bob");

        var admins = await admin.SubmitAsync(TestJobs.Shell("echo admin-job"));
        var bobs = await bob.SubmitAsync(TestJobs.Shell("echo bob-job"));
        var bobsEnd = await bob.WaitForEndAsync(bobs.Id());

        Assert.Equal("Succeeded", (await admin.WaitForEndAsync(admins.Id())).State());
        Assert.Equal("Failed", bobsEnd.State());
        Assert.Contains($"local: {LocalBackend.AdminsOnlyReason}", bobsEnd["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("", await bob.GetStringAsync($"api/v1/jobs/{bobs.Id()}/logs"));
    }

    [Fact]
    public async Task A_log_that_is_a_symlink_is_not_followed()
    {
        var dir = Directory.CreateTempSubdirectory("gantry-log-link-");
        try
        {
            var secret = Path.Combine(dir.FullName, "secret");
            await File.WriteAllTextAsync(secret, "not for the job's owner");
            var log = Path.Combine(dir.FullName, "output.log");
            File.CreateSymbolicLink(log, secret);
            using var output = new MemoryStream();

            await LogFile.CopyAsync(log, new Backends.LogRequest(), () => false, output, CancellationToken.None);

            Assert.Equal(0, output.Length);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
