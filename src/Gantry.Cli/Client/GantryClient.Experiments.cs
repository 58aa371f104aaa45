using System.Net.Http.Json;
using System.Text;

namespace Gantry.Cli.Client;

/// <summary>The experiments API (docs/experiments.md, "The API").</summary>
public sealed partial class GantryClient
{
    internal async Task<ExperimentView> SubmitExperimentAsync(string body, string mediaType, string? idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/experiments") { Content = new StringContent(body, Encoding.UTF8, mediaType) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }
        return await SendAsync<ExperimentView>(request, cancellationToken);
    }

    internal Task<PageView<ExperimentView>> ListExperimentsAsync(string query, CancellationToken cancellationToken) =>
        GetAsync<PageView<ExperimentView>>("api/v1/experiments" + query, cancellationToken);

    internal Task<ExperimentView> GetExperimentAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<ExperimentView>(ExperimentPath(id), cancellationToken);

    internal Task<PageView<TrialView>> TrialsAsync(string id, CancellationToken cancellationToken) =>
        GetAsync<PageView<TrialView>>(ExperimentPath(id) + "/trials", cancellationToken);

    internal Task<ExperimentView> CancelExperimentAsync(string id, CancellationToken cancellationToken) =>
        SendAsync<ExperimentView>(new HttpRequestMessage(HttpMethod.Post, ExperimentPath(id) + "/cancel"), cancellationToken);

    internal Task<ExperimentView> SetMaxTrialsAsync(string id, int maxTrialCount, CancellationToken cancellationToken) =>
        SendAsync<ExperimentView>(new HttpRequestMessage(HttpMethod.Patch, ExperimentPath(id)) { Content = JsonContent.Create(new { maxTrialCount }) }, cancellationToken);

    private static string ExperimentPath(string id) => $"api/v1/experiments/{Uri.EscapeDataString(id)}";
}
