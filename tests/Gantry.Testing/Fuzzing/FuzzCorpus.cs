using System.Text;
using System.Text.Json.Nodes;
using Gantry.Core.Manifests;

namespace Gantry.Testing.Fuzzing;

/// <summary>
/// Valid requests of every endpoint that reads a body or a query string, and how to mutate each
/// into the next request. <see cref="Next"/> is deterministic for a given seed.
/// </summary>
public sealed class FuzzCorpus
{
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: fz
          cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}
        users:
        - name: fz
          user: {token: fuzz-token}
        contexts:
        - name: fz
          context: {cluster: fz, user: fz, namespace: default}
        current-context: fz
        """;

    private const string HelloYaml = """
        kind: Command
        metadata:
          name: hello
          labels: {team: ml}
          annotations:
            gantry.io/queue: default
            gantry.io/priority: "3"
        spec:
          command: ["sh", "-c", "echo hello"]
          env: {A: b}
          resources: {cpu: 100m, memory: 64Mi, gpu: 0}
        """;

    /// <summary>A Katib Experiment over Command trials: the seed of the experiments endpoints.</summary>
    private const string ExperimentJson = """
        {"apiVersion": "kubeflow.org/v1beta1", "kind": "Experiment", "metadata": {"name": "fzexp"},
         "spec": {"objective": {"type": "maximize", "goal": 0.99, "objectiveMetricName": "acc", "additionalMetricNames": ["loss"],
                                "metricStrategies": [{"name": "loss", "value": "min"}]},
                  "algorithm": {"algorithmName": "tpe", "algorithmSettings": [{"name": "n_startup_trials", "value": "5"}, {"name": "random_state", "value": "3"}]},
                  "earlyStopping": {"algorithmName": "medianstop", "algorithmSettings": [{"name": "min_trials_required", "value": "2"}]},
                  "parallelTrialCount": 2, "maxTrialCount": 6, "maxFailedTrialCount": 2, "resumePolicy": "LongRunning",
                  "parameters": [{"name": "lr", "parameterType": "double", "feasibleSpace": {"min": "0.001", "max": "0.1", "distribution": "logUniform"}},
                                 {"name": "n", "parameterType": "int", "feasibleSpace": {"min": "1", "max": "8", "step": "1"}},
                                 {"name": "opt", "parameterType": "categorical", "feasibleSpace": {"list": ["sgd", "adam"]}}],
                  "metricsCollectorSpec": {"collector": {"kind": "StdOut"}, "source": {"filter": {"metricsFormat": ["([\\w|-]+)\\s*=\\s*([+-]?\\d*(\\.\\d+)?)"]}}},
                  "trialTemplate": {"primaryContainerName": "main", "retain": false,
                                    "trialParameters": [{"name": "lr", "reference": "lr"}, {"name": "n", "reference": "n"}, {"name": "opt", "reference": "opt"}],
                                    "trialSpec": {"kind": "Command", "spec": {"command": ["echo", "${trialParameters.lr}", "${trialParameters.n}", "${trialParameters.opt}"]}}}}}
        """;

    /// <summary>A valid experiment (JSON), for a test to submit before fuzzing so paths with an id reach past the 404.</summary>
    public static string SeedExperiment => ExperimentJson;

    private readonly Random _random;
    private readonly JsonMutator _json;
    private readonly YamlMutator _yaml;
    private readonly string _jobId;
    private readonly string _experimentId;
    private readonly List<(string Endpoint, HttpMethod Method, Func<string> Path, JsonNode Seed)> _jsonSeeds = [];
    private readonly List<(string Endpoint, Func<string> Path, string Seed)> _yamlSeeds = [];
    private readonly List<(string Endpoint, Func<string> Path, string[] Names)> _queries = [];

    /// <param name="jobId">A job that exists, so paths with an id reach past the 404.</param>
    /// <param name="manifests">Valid manifests of every kind (operators' examples), submitted as JSON envelopes and as YAML.</param>
    /// <param name="experimentId">An experiment that exists, for the experiments' paths with an id.</param>
    public FuzzCorpus(int seed, string jobId, IReadOnlyList<JsonObject> manifests, string experimentId = "aaaaaaaaaaaa")
    {
        _experimentId = experimentId;
        _random = new Random(seed);
        _json = new JsonMutator(_random);
        _yaml = new YamlMutator(_random);
        _jobId = jobId;

        var command = Parse("""{"manifest": {"kind": "Command", "metadata": {"name": "fz", "annotations": {"a": "b"}}, "spec": {"command": ["sh", "-c", "echo hi"], "env": {"A": "b"}, "workingDir": "/tmp", "resources": {"cpu": "100m", "memory": "64Mi", "gpu": 0}}}, "queue": "default", "priority": 1, "labels": {"team": "ml"}, "name": "fuzz", "maxAttempts": 2}""");
        _jsonSeeds.Add(("POST /jobs (Command)", HttpMethod.Post, () => "api/v1/jobs", command));
        foreach (var manifest in manifests)
        {
            _jsonSeeds.Add(($"POST /jobs ({manifest["kind"]})", HttpMethod.Post, () => "api/v1/jobs",
                new JsonObject { ["manifest"] = manifest.DeepClone(), ["queue"] = "default", ["labels"] = new JsonObject { ["k"] = "v" } }));
            _yamlSeeds.Add(($"POST /jobs YAML ({manifest["kind"]})", () => "api/v1/jobs", manifest.ToJsonString()));
        }
        _yamlSeeds.Add(("POST /jobs YAML (Command)", () => "api/v1/jobs", HelloYaml));
        _jsonSeeds.Add(("POST /queues", HttpMethod.Post, () => "api/v1/queues", Parse("""{"name": "fq", "weight": 2, "priority": 1, "quota": {"cpu": "4", "memory": "8Gi", "gpu": 1, "runningJobs": 5}, "clusterSelector": {"region": "eu"}, "affinity": {"zone": "a"}, "policy": "LeastLoaded"}""")));
        _jsonSeeds.Add(("PUT /queues/{name}", HttpMethod.Put, () => $"api/v1/queues/{Pick("fq", "fq", "nope", "%00", "Q Q")}", Parse("""{"name": "fq", "weight": 3, "quota": {"cpu": "2"}, "policy": "BestFit"}""")));
        _jsonSeeds.Add(("POST /clusters", HttpMethod.Post, () => "api/v1/clusters", Parse("""{"name": "fc", "server": "https://127.0.0.1:1", "token": "t", "namespace": "default", "labels": {"a": "b"}, "insecureSkipTlsVerify": true, "tlsServerName": "x"}""")));
        _jsonSeeds.Add(("POST /clusters/import", HttpMethod.Post, () => "api/v1/clusters/import", new JsonObject { ["kubeconfig"] = Kubeconfig, ["contexts"] = new JsonArray("fz"), ["rename"] = new JsonObject { ["fz"] = "fimp" }, ["labels"] = new JsonObject { ["a"] = "b" } }));
        _yamlSeeds.Add(("POST /clusters/import YAML", () => $"api/v1/clusters/import?context={Pick("fz", "", "nope", "%00")}", Kubeconfig));
        _jsonSeeds.Add(("PATCH /clusters/{name}", HttpMethod.Patch, () => $"api/v1/clusters/{Pick("local", "nope", "fc")}", Parse("""{"labels": {"gpu": "a100", "old": null}}""")));
        _jsonSeeds.Add(("POST /clusters/{name}/shares", HttpMethod.Post, () => $"api/v1/clusters/{Pick("local", "nope")}/shares", Parse("""{"user": "admin", "namespace": "ns", "expirationSeconds": 3600}""")));
        _jsonSeeds.Add(("POST /users", HttpMethod.Post, () => "api/v1/users", Parse("""{"name": "fu", "role": "user"}""")));
        _jsonSeeds.Add(("POST /users/{name}/tokens", HttpMethod.Post, () => $"api/v1/users/{Pick("admin", "nope", "%2e%2e")}/tokens", Parse("""{"description": "fuzz"}""")));
        _jsonSeeds.Add(("POST /tokens", HttpMethod.Post, () => "api/v1/tokens", Parse("""{"user": "admin", "expiresIn": "30d", "description": "fuzz"}""")));
        _jsonSeeds.Add(("POST /jobs/{id}/metrics", HttpMethod.Post, () => $"api/v1/jobs/{Id()}/metrics", Parse("""{"metrics": [{"name": "loss", "value": 0.5, "step": 1, "timestamp": "2026-01-01T00:00:00Z"}, {"name": "acc", "value": 1}]}""")));
        _jsonSeeds.Add(("POST /jobs/{id}/spark-ui/link", HttpMethod.Post, () => $"api/v1/jobs/{Id()}/spark-ui/link", Parse("{}")));
        _jsonSeeds.Add(("POST /session", HttpMethod.Post, () => "api/v1/session", Parse("""{"token": "gty_0000000000000000000000000000000000000000000000000000000000000000"}""")));

        var experiment = Parse(ExperimentJson);
        _jsonSeeds.Add(("POST /experiments", HttpMethod.Post, () => "api/v1/experiments",
            new JsonObject { ["manifest"] = experiment.DeepClone(), ["queue"] = "default", ["priority"] = 2, ["labels"] = new JsonObject { ["team"] = "ml" } }));
        _jsonSeeds.Add(("POST /experiments (bare)", HttpMethod.Post, () => "api/v1/experiments", experiment.DeepClone()));
        _yamlSeeds.Add(("POST /experiments YAML", () => "api/v1/experiments", ExperimentJson));
        _jsonSeeds.Add(("PATCH /experiments/{id}", HttpMethod.Patch, () => $"api/v1/experiments/{ExperimentId()}", Parse("""{"maxTrialCount": 9}""")));
        _jsonSeeds.Add(("PATCH /experiments/{id} (spec)", HttpMethod.Patch, () => $"api/v1/experiments/{ExperimentId()}", Parse("""{"spec": {"maxTrialCount": 10}}""")));
        _queries.Add(("GET /experiments", () => "api/v1/experiments", ["state", "owner", "limit", "cursor"]));
        _queries.Add(("GET /experiments/{id}", () => $"api/v1/experiments/{ExperimentId()}", []));
        _queries.Add(("GET /experiments/{id}/trials", () => $"api/v1/experiments/{ExperimentId()}/trials", []));

        _queries.Add(("GET /jobs", () => "api/v1/jobs", ["state", "queue", "owner", "kind", "cluster", "labelSelector", "limit", "cursor"]));
        _queries.Add(("GET /jobs/{id}/logs", () => $"api/v1/jobs/{Id()}/logs", ["tail", "replica"]));
        _queries.Add(("GET /jobs/{id}/metrics", () => $"api/v1/jobs/{Id()}/metrics", ["name"]));
        _queries.Add(("GET /jobs/{id}", () => $"api/v1/jobs/{Id()}", []));
        _queries.Add(("GET /jobs/{id}/events", () => $"api/v1/jobs/{Id()}/events", []));
        _queries.Add(("GET /jobs/{id}/explain", () => $"api/v1/jobs/{Id()}/explain", []));
        _queries.Add(("GET /queues/{name}", () => $"api/v1/queues/{Pick("default", "nope", "%00", "..")}", []));
        _queries.Add(("GET /clusters/{name}", () => $"api/v1/clusters/{Pick("local", "nope", "%F0%9F%98%80")}", []));
        _queries.Add(("GET /tokens", () => "api/v1/tokens", ["user"]));
        _queries.Add(("GET /tokens/{id}", () => $"api/v1/tokens/{Pick("tok_0000000000000000", "nope", "%00", new string('t', 1_000))}", []));
        _queries.Add(("GET /audit", () => "api/v1/audit", ["actor", "action", "since", "limit", "cursor"]));
        _queries.Add(("GET /clusters/{name}/shares", () => $"api/v1/clusters/{Pick("local", "nope")}/shares", []));
    }

    /// <summary>Every endpoint the corpus reaches, for the report.</summary>
    public IEnumerable<string> Endpoints =>
        _jsonSeeds.Select(s => s.Endpoint).Concat(_yamlSeeds.Select(s => s.Endpoint)).Concat(_queries.Select(q => q.Endpoint)).Distinct();

    public FuzzRequest Next()
    {
        var choice = _random.Next(10);
        if (choice < 5)
        {
            var (endpoint, method, path, seed) = _jsonSeeds[_random.Next(_jsonSeeds.Count)];
            return new FuzzRequest(endpoint, method, path(), ContentType("application/json"), _json.Mutate(seed), Token());
        }
        if (choice < 7)
        {
            var (endpoint, path, seed) = _yamlSeeds[_random.Next(_yamlSeeds.Count)];
            return new FuzzRequest(endpoint, HttpMethod.Post, path(), ContentType("application/yaml"), _yaml.Mutate(seed), Token());
        }
        var (name, route, parameters) = _queries[_random.Next(_queries.Count)];
        var query = new StringBuilder();
        foreach (var parameter in parameters.Where(_ => _random.Next(2) == 0))
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(parameter).Append('=').Append(QueryValue());
        }
        if (_random.Next(10) == 0)
        {
            query.Append(query.Length == 0 ? '?' : '&').Append(Pick("unknown=1", "limit=1&limit=2", "state", "&&&", "=", "a=%"));
        }
        return new FuzzRequest(name, HttpMethod.Get, route() + query, null, null, Token());
    }

    private string? ContentType(string right) =>
        _random.Next(10) == 0 ? FuzzValues.ContentTypes[_random.Next(FuzzValues.ContentTypes.Length)] : right;

    private string QueryValue() =>
        _random.Next(12) == 0 ? new string('a', _random.Next(2) == 0 ? 300 : 9_000) : FuzzValues.QueryValues[_random.Next(FuzzValues.QueryValues.Length)];

    /// <summary>Mostly the caller's own token (null); sometimes one that is not a token at all.</summary>
    private string? Token() => _random.Next(25) == 0
        ? Pick("gty_" + new string('0', 64), "gjt_x", "", "a,b;c", "\u007f", new string('z', 8_000), "Bearer x", "gty_%00")
        : null;

    private string Id() => Pick(_jobId, _jobId, _jobId, "aaaaaaaaaaaa", "..%2F..", new string('a', 1_000), "%00", "%F0%9F%98%80", "ZZZZZZZZZZZZ");

    private string ExperimentId() => Pick(_experimentId, _experimentId, "aaaaaaaaaaaa", "%00", new string('e', 700), "..%2F");

    private string Pick(params string[] values) => values[_random.Next(values.Length)];

    private static JsonNode Parse(string json) => JsonNode.Parse(json)!;

    /// <summary>The operators' own examples as seeds, read from shared/examples (never copied into the repo).</summary>
    public static IReadOnlyList<JsonObject> ExampleManifests()
    {
        var files = new[] { "spark-operator/spark-pi.yaml" }
            .Concat(Directory.EnumerateFiles(SharedFiles.Examples("training-operator"), "*.yaml").Take(4).Select(f => Path.Combine("training-operator", Path.GetFileName(f))));
        return [.. files
            .SelectMany(f => YamlJson.ParseAll(File.ReadAllText(SharedFiles.Example(f)), DocumentLimits.Files).OfType<JsonObject>())
            .Where(m => m["kind"] is not null)];
    }
}
