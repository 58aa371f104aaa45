using System.Net;
using System.Security.Cryptography.X509Certificates;
using Gantry.Sandbox.Api;
using Gantry.Sandbox.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gantry.Sandbox.Hosting;

/// <summary>The API server process of a simulated cluster: Kestrel on 127.0.0.1 over HTTPS, in front of the cluster's state.</summary>
internal static class ApiHost
{
    public static async Task<(WebApplication App, int Port)> StartAsync(ClusterState state, X509Certificate2 certificate, int port, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(ApiHost).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.UseHttps(certificate));
            kestrel.Limits.MinResponseDataRate = null;
        });
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, EmbeddedLifetime>();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(new RbacEvaluator(state.Store));
        builder.Services.AddSingleton<TableWriter>();
        builder.Services.AddSingleton<WatchStreamer>();
        builder.Services.AddSingleton<ResourceHandler>();
        builder.Services.AddSingleton<PodLogHandler>();
        builder.Services.AddSingleton<ServiceProxyHandler>();
        builder.Services.AddSingleton<TokenRequestHandler>();
        builder.Services.AddSingleton<AccessReviewHandler>();
        builder.Services.AddSingleton<TokenReviewHandler>();
        builder.Services.AddSingleton<CreationsHandler>();
        builder.Services.AddSingleton<ApiRouter>();
        builder.Services.AddSingleton<ApiPipeline>();
        var app = builder.Build();
        var pipeline = app.Services.GetRequiredService<ApiPipeline>();
        app.Run(pipeline.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address).Port);
    }
}
