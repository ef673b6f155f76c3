using System.Collections.Concurrent;
using Iqts.Api.Webhooks;
using Iqts.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iqts.Api.Tests.Infrastructure;

/// <summary>A webhook receiver on a loopback port, as an integrator runs one: it keeps every request and answers as told.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    /// <summary>One request as it arrived, and what it was answered.</summary>
    public sealed record Received(string Method, Uri Url, IReadOnlyList<KeyValuePair<string, IEnumerable<string>>> Headers, byte[] Body, int Answered)
    {
        public string Header(string name) => Headers.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).SelectMany(h => h.Value).FirstOrDefault() ?? "";

        public HttpRequestMessage ToRequest()
        {
            var request = new HttpRequestMessage(new HttpMethod(Method), Url) { Content = new ByteArrayContent(Body) };
            foreach (var (name, values) in Headers)
            {
                if (!request.Headers.TryAddWithoutValidation(name, values))
                {
                    request.Content.Headers.TryAddWithoutValidation(name, values);
                }
            }

            return request;
        }
    }

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Received> _received = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The status the next requests are answered with (200 unless a test takes the receiver "down").</summary>
    public int Status { get; set; } = 200;

    /// <summary>How long the receiver takes to answer.</summary>
    public TimeSpan Delay { get; set; }

    public string Url => _app.Urls.First() + "/hook";

    public IReadOnlyList<Received> Requests => [.. _received];

    /// <summary>The requests it answered 2xx.</summary>
    public IReadOnlyList<Received> Delivered => [.. _received.Where(r => r.Answered is >= 200 and < 300)];

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            if (receiver.Delay > TimeSpan.Zero)
            {
                await Task.Delay(receiver.Delay);
            }

            var status = receiver.Status;
            var headers = request.Headers.Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value.ToArray()!)).ToList();
            receiver._received.Enqueue(new Received(request.Method, new Uri($"{request.Scheme}://{request.Host}{request.Path}{request.QueryString}"), headers, body.ToArray(), status));
            return Results.StatusCode(status);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>Driving the webhook worker from a test, pass by pass, on the app's clock.</summary>
public static class WebhookDriving
{
    /// <summary>
    /// Runs the worker until <paramref name="condition"/> holds, moving the app's clock on by <paramref name="step"/> when a
    /// pass sends nothing, so retries fall due without waiting for them. The deadline guards against a hang.
    /// </summary>
    public static async Task DeliverUntilAsync(this ApiFactory api, Func<bool> condition, string what, TimeSpan? step = null, int seconds = 60)
    {
        var worker = api.Services.GetRequiredService<WebhookWorker>();
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Still waiting for {what} after {seconds} s.");
            }

            if (await worker.RunOnceAsync(CancellationToken.None) == 0)
            {
                if (step is { } s)
                {
                    api.Clock.Advance(s);
                }
                else
                {
                    await Task.Delay(10);
                }
            }
        }
    }

    /// <summary>A verifier of the API's webhooks with the keys the API publishes, read through the C# SDK.</summary>
    public static async Task<IqtsWebhookVerifier> VerifierAsync(this ApiFactory api) =>
        new(await api.Sdk(null).GetWebhookJwksAsync(), () => api.Clock.GetUtcNow());
}
