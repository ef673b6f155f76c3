namespace Iqts.Api.Webhooks;

/// <summary>The webhooks' services: their options (checked at start-up), the signing keys, the delivery client and worker, the use cases.</summary>
public static class WebhookSetup
{
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>().Bind(configuration.GetSection("Webhooks"))
            .ValidateDataAnnotations()
            .Validate(o => o.Source.IsAbsoluteUri, "Webhooks:Source must be an absolute URI.")
            .Validate(o => o.SigningKeys.Select(k => k.Id).Distinct().Count() == o.SigningKeys.Count, "Webhooks:SigningKeys ids must be distinct.")
            .ValidateOnStart();
        services.AddSingleton<WebhookKeys>();
        services.AddSingleton<ReceiverAddresses>();
        // No redirects (a receiver could point one at this network), no retries (the delivery schedule is the retry),
        // and a connection only to an address the receiver may have (ReceiverAddresses).
        services.AddHttpClient(WebhookWorker.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = sp.GetRequiredService<ReceiverAddresses>().ConnectAsync,
                PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                UseProxy = false,
            });
        services.AddSingleton<CreateSubscription>();
        services.AddSingleton<UpdateSubscription>();
        services.AddSingleton<ManageSubscription>();
        services.AddSingleton<WebhookWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<WebhookWorker>());
    }
}
