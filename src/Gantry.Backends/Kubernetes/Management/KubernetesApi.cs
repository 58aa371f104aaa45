using System.Net;
using System.Net.Http.Headers;
using System.Security.Authentication;
using Gantry.Core.Clusters;
using k8s;
using k8s.Autorest;
using k8s.Exceptions;
using k8s.Models;

namespace Gantry.Backends.Kubernetes.Management;

/// <summary>Opens clients for the management calls (test, share) and turns the library's failures into <see cref="ClusterApiException"/>s.</summary>
public static class KubernetesApi
{
    /// <summary>
    /// A client for <paramref name="connection"/>. An exec plugin runs while the configuration is
    /// built, synchronously inside the library, so that happens on the thread pool.
    /// </summary>
    public static async Task<IKubernetes> ConnectAsync(ClusterConnection connection, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = connection.Exec is null
                ? KubernetesConfigurationFactory.Create(connection, timeout)
                : await Task.Run(() => KubernetesConfigurationFactory.Create(connection, timeout), cancellationToken);
            return new k8s.Kubernetes(configuration);
        }
        catch (KubeConfigException ex)
        {
            throw new ClusterApiException($"The cluster's connection cannot be used: {ex.Message}", ex);
        }
    }

    /// <summary>Runs <paramref name="call"/>, describing any failure by what was being done and what the server said.</summary>
    public static async Task<T> CallAsync<T>(string doing, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Describe(ex) is { } why)
        {
            throw new ClusterApiException($"{doing} failed: {why}", ex);
        }
    }

    public static Task CallAsync(string doing, Func<Task> call, CancellationToken cancellationToken) => CallAsync(doing, async () =>
    {
        await call();
        return true;
    }, cancellationToken);

    /// <summary>True when the call failed because the object is already there (409 AlreadyExists).</summary>
    public static bool IsAlreadyExists(Exception exception) =>
        exception is HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict };

    public static bool IsNotFound(Exception exception) =>
        exception is HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound };

    /// <summary>GET of a path under the API server with the client's own TLS and credentials; null on 404.</summary>
    public static async Task<string?> GetRawAsync(IKubernetes client, string path, CancellationToken cancellationToken)
    {
        var kubernetes = (k8s.Kubernetes)client;
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(kubernetes.BaseUri, path));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (kubernetes.Credentials is not null)
        {
            // The client's HttpClient carries TLS and client certificates but not the bearer token.
            await kubernetes.Credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        using var response = await kubernetes.HttpClient.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new ClusterApiException($"GET /{path} answered {(int)response.StatusCode}: {StatusMessage(body)}");
        }
        return body;
    }

    private static string? Describe(Exception exception) => exception switch
    {
        ClusterApiException => null,
        HttpOperationException e => $"the API server answered {(int)e.Response.StatusCode}: {StatusMessage(e.Response.Content)}",
        HttpRequestException e when e.InnerException is AuthenticationException a => $"TLS: {a.Message} (check the CA data or tlsServerName)",
        HttpRequestException e => $"cannot reach the API server: {e.Message}",
        // The caller's own cancellation is excluded above: this is the per-call timeout.
        OperationCanceledException or TimeoutException => "the API server did not answer in time",
        KubeConfigException e => e.Message,
        _ => null,
    };

    private static string StatusMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(no body)";
        }
        try
        {
            return KubernetesJson.Deserialize<V1Status>(body)?.Message ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            return body.Length > 300 ? body[..300] : body;
        }
    }
}
