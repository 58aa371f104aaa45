namespace Gantry.Backends.Kubernetes;

/// <summary>
/// Sends raw HTTP requests (the gateway's Spark UI proxy) through a cluster's own client: its
/// HttpClient carries the TLS trust and client certificate, and its credentials add the bearer
/// token (refreshed by an exec plugin when it has one), so credential handling stays the library's.
/// Only requests for the client's own API server are sent: a cluster's token never goes elsewhere.
/// </summary>
internal sealed class ApiServerProxyHandler(k8s.Kubernetes client) : HttpMessageHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is not { } uri || !client.BaseUri.IsBaseOf(uri))
        {
            throw new InvalidOperationException($"Only requests to the cluster's API server are sent with its credentials, not to {request.RequestUri}.");
        }
        if (client.Credentials is { } credentials)
        {
            await credentials.ProcessHttpRequestAsync(request, cancellationToken);
        }
        // Headers only: the body streams through to the caller.
        return await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }
}
