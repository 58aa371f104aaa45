using Gantry.Testing;

namespace Gantry.Cli.Tests.Commands;

public sealed class CommandTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private readonly TestGateway _gateway = fixture.Gateway;

    [Fact]
    public async Task Submit_with_wait_follows_the_job_and_exits_zero_when_it_succeeds()
    {
        var file = WriteFile("ok.yaml", """
            kind: Command
            metadata:
              name: cli-ok
            spec:
              command: ["sh", "-c", "echo from-the-cli"]
              resources: {cpu: 100m, memory: 64Mi}
            """);

        var (code, output) = await new CliRunner(_gateway).RunAsync("submit", "-f", file, "--wait");

        Assert.Equal(0, code);
        Assert.Contains("submitted job", output);
        Assert.Contains("Succeeded", output);
        Assert.Contains("exit code 0", output);
    }

    [Fact]
    public async Task Submit_with_wait_exits_with_the_jobs_own_exit_code_when_it_fails()
    {
        var file = WriteFile("fail.json", """{"manifest": {"kind": "Command", "spec": {"command": ["sh", "-c", "exit 5"]}}, "queue": "default"}""");

        var (code, output) = await new CliRunner(_gateway).RunAsync("submit", "-f", file, "--wait");

        Assert.Equal(5, code);
        Assert.Contains("Failed", output);
    }

    [Fact]
    public async Task Spark_ui_of_a_job_that_is_not_a_spark_application_is_not_found()
    {
        var cli = new CliRunner(_gateway);
        var file = WriteFile("not-spark.yaml", """
            kind: Command
            spec: {command: ["true"], resources: {cpu: 100m, memory: 32Mi}}
            """);
        var (_, submitted) = await cli.RunAsync("submit", "-f", file);
        var id = submitted.Split(' ', '\n').First(w => w.Length == 12 && Gantry.Core.Jobs.JobId.IsWellFormed(w));

        var (code, output) = await cli.RunAsync("spark-ui", id);

        Assert.NotEqual(0, code);
        Assert.Contains("Command", output, StringComparison.Ordinal);
        Assert.Contains("not found", output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Jobs_describe_logs_and_cancel_show_what_the_api_holds()
    {
        var cli = new CliRunner(_gateway);
        var file = WriteFile("hello.yaml", """
            kind: Command
            metadata: {name: cli-hello}
            spec: {command: ["sh", "-c", "echo line-one; echo line-two"]}
            """);
        var (_, submitted) = await cli.RunAsync("submit", "-f", file, "--wait");
        var id = submitted.Split(' ', '\n').First(w => w.Length == 12 && Gantry.Core.Jobs.JobId.IsWellFormed(w));

        var (jobsCode, jobs) = await cli.RunAsync("jobs", "--limit", "50");
        var (describeCode, describe) = await cli.RunAsync("describe", id);
        var (logsCode, logs) = await cli.RunAsync("logs", id);
        var (tailCode, tail) = await cli.RunAsync("logs", id, "--tail", "1");
        var (cancelCode, cancel) = await cli.RunAsync("cancel", id);

        Assert.Equal([0, 0, 0, 0, 0], new[] { jobsCode, describeCode, logsCode, tailCode, cancelCode });
        Assert.Contains(id, jobs);
        Assert.Contains("cli-hello", describe);
        Assert.Contains("Dispatching", describe);
        Assert.Contains("exit code 0", describe);
        Assert.Equal("line-one\nline-two\n", logs);
        Assert.Equal("line-two\n", tail);
        Assert.Contains("Succeeded", cancel);
    }

    [Fact]
    public async Task Queue_and_priority_from_the_command_line_override_the_file()
    {
        var cli = new CliRunner(_gateway);
        using (var admin = _gateway.Client())
        {
            await admin.PostAsync("api/v1/queues", new StringContent("""{"name": "cli-q"}""", System.Text.Encoding.UTF8, "application/json"));
        }
        var file = WriteFile("q.yaml", """
            kind: Command
            metadata:
              annotations: {gantry.io/queue: default, gantry.io/priority: "3"}
            spec: {command: ["true"]}
            """);

        var (code, output) = await cli.RunAsync("submit", "-f", file, "--queue", "cli-q", "--priority", "9");

        Assert.Equal(0, code);
        Assert.Contains("queue cli-q", output);
        var (_, queues) = await cli.RunAsync("queues");
        Assert.Contains("cli-q", queues);
        Assert.Contains("default", queues);
    }

    [Fact]
    public async Task Bad_input_prints_the_servers_reason_and_exits_nonzero()
    {
        var cli = new CliRunner(_gateway);
        var file = WriteFile("bad.yaml", "kind: Command\nspec:\n  command: []\n  resources: {cpu: -1}\n");

        var (code, output) = await cli.RunAsync("submit", "-f", file);
        var (missingCode, missing) = await cli.RunAsync("submit", "-f", "/nonexistent/job.yaml");
        var (unknownCode, unknown) = await cli.RunAsync("describe", "aaaaaaaaaaaa");

        Assert.Equal(1, code);
        Assert.Contains("422", output);
        Assert.Contains("manifest.spec.resources.cpu", output);
        Assert.Equal(1, missingCode);
        Assert.Contains("does not exist", missing);
        Assert.Equal(1, unknownCode);
        Assert.Contains("404", unknown);
    }

    [Fact]
    public async Task An_admin_creates_a_user_and_a_token_and_the_user_sees_only_their_jobs()
    {
        var admin = new CliRunner(_gateway);
        var name = "cli-" + Guid.NewGuid().ToString("N")[..6];

        var (createCode, created) = await admin.RunAsync("users", "create", name);
        var (tokenCode, issued) = await admin.RunAsync("tokens", "create", "--user", name);
        var token = issued.Trim().Split('\n')[^1].Trim();
        var user = new CliRunner(_gateway, token);
        var (jobsCode, jobs) = await user.RunAsync("jobs");
        var (forbiddenCode, forbidden) = await user.RunAsync("users", "create", "mallory");

        Assert.Equal(0, createCode);
        Assert.Contains($"created user {name}", created);
        Assert.Equal(0, tokenCode);
        Assert.StartsWith("gty_", token);
        Assert.Equal(0, jobsCode);
        Assert.Contains("No jobs.", jobs);
        Assert.Equal(1, forbiddenCode);
        Assert.Contains("403", forbidden);
    }

    [Fact]
    public async Task Clusters_are_listed_and_cordoned_from_the_cli()
    {
        var cli = new CliRunner(_gateway);

        var (cordonCode, cordon) = await cli.RunAsync("clusters", "cordon", "local");
        var (_, listed) = await cli.RunAsync("clusters");
        var (uncordonCode, _) = await cli.RunAsync("clusters", "uncordon", "local");

        Assert.Equal(0, cordonCode);
        Assert.Contains("local: cordoned", cordon);
        Assert.Contains("local", listed);
        Assert.Contains("Command", listed);
        Assert.Equal(0, uncordonCode);
    }

    [Fact]
    public async Task Clusters_runtimes_lists_the_local_clusters_built_in_Trainer_runtimes()
    {
        var cli = new CliRunner(_gateway);

        var (code, output) = await cli.RunAsync("clusters", "runtimes", "local");
        var (missingCode, missing) = await cli.RunAsync("clusters", "runtimes", "nowhere");

        Assert.Equal(0, code);
        Assert.Contains("torch-distributed", output);
        Assert.Contains("jax-distributed", output);
        Assert.Contains("local: 3 runtime(s)", output);
        Assert.NotEqual(0, missingCode);
        Assert.Contains("nowhere", missing);
    }

    [Fact]
    public async Task Jobs_and_describe_print_json_with_o_json()
    {
        var cli = new CliRunner(_gateway);
        var file = WriteFile("json.yaml", """
            kind: Command
            metadata: {name: cli-json}
            spec: {command: ["sh", "-c", "echo json"]}
            """);
        var (_, submitted) = await cli.RunAsync("submit", "-f", file, "--wait");
        var id = submitted.Split(' ', '\n').First(w => w.Length == 12 && Gantry.Core.Jobs.JobId.IsWellFormed(w));

        var (jobsCode, jobs) = await cli.RunAsync("jobs", "-o", "json", "--limit", "50");
        var (describeCode, describe) = await cli.RunAsync("describe", id, "-o", "json");
        // System.CommandLine reports the parse error on standard error, which the runner does not capture.
        var (badCode, _) = await cli.RunAsync("jobs", "-o", "yaml");

        Assert.Equal(0, jobsCode);
        Assert.Contains(System.Text.Json.Nodes.JsonNode.Parse(jobs)!["items"]!.AsArray(), j => j!["id"]!.GetValue<string>() == id);
        Assert.Equal(0, describeCode);
        var described = System.Text.Json.Nodes.JsonNode.Parse(describe)!;
        Assert.Equal("cli-json", described["job"]!["name"]!.GetValue<string>());
        Assert.Contains(described["events"]!.AsArray(), e => e!["to"]!.GetValue<string>() == "Succeeded");
        Assert.NotEqual(0, badCode);
    }

    [Fact]
    public async Task Login_saves_the_url_and_token_where_the_sdk_reads_them()
    {
        var cli = new CliRunner(_gateway);

        var (code, _) = await cli.RunAsync("login", _gateway.Url, "--token", _gateway.AdminToken);

        Assert.Equal(0, code);
        var saved = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(cli.Home, "config")))!;
        Assert.Equal(_gateway.Url, saved["url"]!.GetValue<string>());
        Assert.Equal(_gateway.AdminToken, saved["token"]!.GetValue<string>());
    }

    private static string WriteFile(string name, string content)
    {
        var path = Path.Combine(Path.GetTempPath(), "gantry-cli-" + Guid.NewGuid().ToString("N")[..8] + "-" + name);
        File.WriteAllText(path, content);
        return path;
    }
}
