namespace Iqts.Api.Tra;

/// <summary>The TRA integration's services: its options (checked at start-up), the TRS client, the outbox and its worker, the pull feed.</summary>
public static class TraSetup
{
    public static void AddTo(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TraOptions>().Bind(configuration.GetSection("Tra"))
            .ValidateDataAnnotations()
            .Validate(o => o.PullOnly || !string.IsNullOrWhiteSpace(o.ApiKey), "Tra:ApiKey is required with Tra:BaseUrl (the bearer key TRS issued).")
            .Validate(o => o.BaseUrl is null || (o.BaseUrl.IsAbsoluteUri && o.BaseUrl.Scheme is "https" or "http"), "Tra:BaseUrl must be an absolute http(s) address.")
            .Validate(o => o.WebhookJwksUrl is null || o.WebhookJwksUrl.IsAbsoluteUri, "Tra:WebhookJwksUrl must be an absolute address.")
            .Validate(o => o.WebhookUrl is null || o.WebhookUrl.IsAbsoluteUri, "Tra:WebhookUrl must be an absolute address.")
            .ValidateOnStart();
        TraClient.AddTo(services);
        services.AddSingleton<ReceiveTrn>();
        services.AddHttpClient(TrsWebhookKeys.HttpClientName, c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<TrsWebhookKeys>();
        services.AddSingleton<ReceiveTrsWebhook>();
        services.AddSingleton<AcknowledgeAward>();
        services.AddSingleton<TraOutboxWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<TraOutboxWorker>());
    }
}
