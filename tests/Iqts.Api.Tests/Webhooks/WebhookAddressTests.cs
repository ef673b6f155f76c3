using System.Net;
using System.Text.Json.Nodes;
using Iqts.Api.Events;
using Iqts.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Iqts.Api.Tests.Webhooks;

/// <summary>The API as production runs it: loopback receivers are not allowed.</summary>
public sealed class ProductionAddressesApiFactory : ApiFactory
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Webhooks:AllowLoopback"] = "false" };
}

/// <summary>
/// Server-side request forgery: a subscription may not point the API at its own network, neither when it is made (the
/// URL, and every address its host resolves to) nor when a delivery connects (the name may resolve elsewhere by then).
/// </summary>
public sealed class WebhookAddressTests(ProductionAddressesApiFactory api) : IClassFixture<ProductionAddressesApiFactory>
{
    [Theory]
    [InlineData("http://203.0.113.10/hook", "must use https.")]
    [InlineData("ftp://203.0.113.10/hook", "must be an absolute https URL.")]
    [InlineData("/relative/hook", "must be an absolute https URL.")]
    [InlineData("https://user:secret@203.0.113.10/hook", "must not hold a user name, a password or a fragment.")]
    [InlineData("https://127.0.0.1/hook", "must not resolve to a loopback address.")]
    [InlineData("https://[::1]/hook", "must not resolve to a loopback address.")]
    [InlineData("https://[::ffff:127.0.0.1]/hook", "must not resolve to a loopback address.")]
    [InlineData("https://localhost/hook", "must not resolve to a loopback address.")]
    [InlineData("https://10.1.2.3/hook", "must not resolve to a private or link-local address.")]
    [InlineData("https://172.16.0.1/hook", "must not resolve to a private or link-local address.")]
    [InlineData("https://192.168.1.1/hook", "must not resolve to a private or link-local address.")]
    [InlineData("https://169.254.169.254/latest/meta-data", "must not resolve to a private or link-local address.")]
    [InlineData("https://100.64.0.1/hook", "must not resolve to a private or link-local address.")]
    [InlineData("https://[fd00::1]/hook", "must not resolve to a private or link-local address.")]
    [InlineData("https://[fe80::1]/hook", "must not resolve to a private or link-local address.")]
    [InlineData("https://0.0.0.0/hook", "must resolve to a public unicast address.")]
    [InlineData("https://224.0.0.1/hook", "must resolve to a public unicast address.")]
    [InlineData("https://receiver.invalid/hook", "must name a host that resolves.")]
    public async Task A_subscription_to_an_address_inside_the_network_is_refused_naming_the_url(string url, string rule)
    {
        var client = await api.NewProviderClientAsync();
        var problem = await (await client.PostJsonAsync("/api/v1/webhook-subscriptions", new JsonObject { ["url"] = url }))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed");
        Assert.Equal(rule, problem.GetProperty("errors").GetProperty("url")[0].GetString());
        Assert.Empty((await (await client.GetAsync("/api/v1/webhook-subscriptions")).ReadJsonAsync()).GetProperty("items").EnumerateArray());

        var created = await client.PostJsonAsync("/api/v1/webhook-subscriptions", new JsonObject { ["url"] = "https://203.0.113.10/hook" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var patched = await client.SendAsync(Fixtures.Patch(created.Headers.Location!.ToString(), new JsonObject { ["url"] = url }.ToJsonString()));
        Assert.Equal(rule, (await patched.AssertProblemAsync(HttpStatusCode.BadRequest, "validation.failed")).GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task A_delivery_to_a_receiver_whose_address_is_inside_the_network_is_not_made()
    {
        // As if the receiver's name had resolved to a public address when subscribed, and to loopback since: the
        // subscription is written as it would have been accepted, and the connection is what is refused.
        await using var receiver = await WebhookReceiver.StartAsync();
        var ukprn = await api.CreateProviderAsync();
        var subscription = await api.SubscriptionAsync(EventStreams.Provider(ukprn), receiver.Url);
        var client = await api.ClientForAsync("provider", ukprn);
        await client.CreateTraineeAsync();

        Assert.Equal(1, await api.Services.GetRequiredService<Api.Webhooks.WebhookWorker>().RunOnceAsync(CancellationToken.None));
        Assert.Empty(receiver.Requests);
        var delivery = Assert.Single((await (await client.GetAsync($"/api/v1/webhook-subscriptions/{subscription}/deliveries")).ReadJsonAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(("pending", 1), (delivery.GetProperty("state").GetString(), delivery.GetProperty("attempts").GetInt32()));
        Assert.StartsWith("The receiver's address is refused: its host must not resolve to a loopback address.", delivery.GetProperty("lastError").GetString(), StringComparison.Ordinal);
    }
}
