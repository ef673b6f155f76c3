using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Iqts.Api.Tra;

/// <summary>How TRS answered, reduced to what the outbox does next.</summary>
public enum TrsAnswer
{
    /// <summary>2xx.</summary>
    Ok,

    /// <summary>409: for a TRN request, 10029 (already created: read it instead).</summary>
    Conflict,

    /// <summary>404: 10031 (no such TRN request) or 10001 (no such person).</summary>
    NotFound,

    /// <summary>400 and the like: TRS refuses the message as it is; a person must look at it.</summary>
    Refused,

    /// <summary>429, 5xx, 401/403, a timeout, no connection, an open circuit: try again later.</summary>
    Transient,
}

/// <summary>One answer of TRS: its kind, HTTP status, error body if any, and the TRN request it returned if any.</summary>
/// <param name="Local">When TRS gave no answer: why not (<c>timeout</c>, <c>unreachable</c>, <c>circuit_open</c>).</param>
/// <param name="RetryAfter">When to try again, if the answer said (TRS's Retry-After, or when the open circuit closes).</param>
public sealed record TrsResult(TrsAnswer Answer, int Status, TrsProblem? Problem = null, TrsTrnRequestInfo? Info = null, string? Local = null, TimeSpan? RetryAfter = null)
{
    public const string CircuitOpen = "circuit_open";

    /// <summary>For the submissions view: the TRS errorCode if there is one, else the HTTP status, else why there was no answer.</summary>
    public string Code => Problem?.ErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? (Status > 0 ? $"http_{Status}" : Local ?? "unreachable");

    /// <summary>No answer from TRS: the resilience pipeline gave up on an attempt, could not connect, or its circuit is open.</summary>
    public static TrsResult NoAnswer(Exception ex) => ex switch
    {
        BrokenCircuitException => new(TrsAnswer.Transient, 0, new TrsProblem { Title = "The circuit to TRS is open: it kept failing, so calls pause for a while." },
            Local: CircuitOpen),
        TimeoutRejectedException or TaskCanceledException => new(TrsAnswer.Transient, 0, new TrsProblem { Title = "TRS did not answer in time." }, Local: "timeout"),
        _ => new(TrsAnswer.Transient, 0, new TrsProblem { Title = "TRS could not be reached." }, Local: "unreachable"),
    };
}

/// <summary>
/// The TRA's Teaching Record System API v3, as <c>../shared/anchors/tra-trs-v3.md</c> describes it: bearer key,
/// <c>X-Api-Version</c>, camelCase JSON with nulls left out. Behind it, Microsoft.Extensions.Http.Resilience retries
/// transient failures a few times with jittered backoff (honouring Retry-After), opens a circuit when TRS keeps failing,
/// and bounds each attempt; beyond that the outbox's own backoff of hours takes over.
/// </summary>
public sealed class TraClient(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public Task<TrsResult> CreateTrnRequestAsync(TrsTrnRequest request, CancellationToken ct) =>
        SendAsync(() => http.PostAsJsonAsync("v3/trn-requests", request, Json, ct), readInfo: true, ct);

    public Task<TrsResult> GetTrnRequestAsync(string requestId, CancellationToken ct) =>
        SendAsync(() => http.GetAsync($"v3/trn-requests?requestId={Uri.EscapeDataString(requestId)}", ct), readInfo: true, ct);

    public Task<TrsResult> SetRouteAsync(string trn, Guid reference, TrsRoute route, CancellationToken ct) =>
        SendAsync(() => http.PutAsJsonAsync($"v3/persons/{Uri.EscapeDataString(trn)}/routes-to-professional-statuses/{reference}", route, Json, ct), readInfo: false, ct);

    private static async Task<TrsResult> SendAsync(Func<Task<HttpResponseMessage>> send, bool readInfo, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await send();
        }
        catch (Exception ex) when (ex is HttpRequestException or TimeoutRejectedException or BrokenCircuitException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return TrsResult.NoAnswer(ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new TrsResult(TrsAnswer.Ok, status, Info: readInfo ? await response.Content.ReadFromJsonAsync<TrsTrnRequestInfo>(Json, ct) : null);
            }

            var problem = await ReadProblemAsync(response, ct);
            var answer = response.StatusCode switch
            {
                HttpStatusCode.Conflict => TrsAnswer.Conflict,
                HttpStatusCode.NotFound => TrsAnswer.NotFound,
                HttpStatusCode.TooManyRequests or HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.RequestTimeout => TrsAnswer.Transient,
                _ when status >= 500 => TrsAnswer.Transient,
                _ => TrsAnswer.Refused,
            };
            var retryAfter = response.Headers.RetryAfter is { } header ? header.Delta ?? header.Date - DateTimeOffset.UtcNow : null;
            return new TrsResult(answer, status, problem, RetryAfter: retryAfter);
        }
    }

    private static async Task<TrsProblem?> ReadProblemAsync(HttpResponseMessage response, CancellationToken ct)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<TrsProblem>(Json, ct);
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return new TrsProblem { Title = $"TRS answered {(int)response.StatusCode} without a problem document." };
        }
    }

    /// <summary>The typed client with its headers and resilience pipeline, from <see cref="TraOptions"/>.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddHttpClient<TraClient>((sp, http) =>
        {
            var options = sp.GetRequiredService<IOptions<TraOptions>>().Value;
            // Pull-only mode never sends; the address is a placeholder no request reaches.
            http.BaseAddress = options.BaseUrl is { } url ? new Uri(url.ToString().TrimEnd('/') + "/") : new Uri("http://pull-only.invalid/");
            http.Timeout = Timeout.InfiniteTimeSpan; // the pipeline's timeouts bound each attempt
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", options.ApiKey ?? "");
            http.DefaultRequestHeaders.Add("X-Api-Version", options.ApiVersion);
            http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        }).AddResilienceHandler("tra", (builder, context) =>
        {
            var options = context.ServiceProvider.GetRequiredService<IOptions<TraOptions>>().Value;
            // Real time, whatever clock the app runs on: these are delays between HTTP attempts, not business dates.
            builder.TimeProvider = TimeProvider.System;
            // The circuit stands outside the quick retries, so it counts whole attempts, and an attempt it refuses never
            // reached TRS at all (circuit_open, which the outbox does not count against the message's backoff); an attempt
            // it lets through, and whose retries all fail, is TRS's own failure and takes the next step of the backoff.
            builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 10,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = options.BreakDuration,
            });
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 3,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                ShouldRetryAfterHeader = true,
            });
            builder.AddTimeout(options.AttemptTimeout);
        });
    }
}
