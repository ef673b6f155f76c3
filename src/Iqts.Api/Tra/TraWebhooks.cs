using System.Security.Cryptography;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Tra;

/// <summary>
/// TRS's public keys for its webhooks, read from <c>Tra:WebhookJwksUrl</c> and kept; read again when a message names a
/// key we do not have (TRS rotated), at most once a minute.
/// </summary>
public sealed class TrsWebhookKeys(IHttpClientFactory http, IOptions<TraOptions> options, TimeProvider time) : IDisposable
{
    public const string HttpClientName = "trs-jwks";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, JsonWebKey> _keys = [];
    private DateTimeOffset _readAt = DateTimeOffset.MinValue;

    public async Task<JsonWebKey?> FindAsync(string keyId, CancellationToken ct)
    {
        if (_keys.GetValueOrDefault(keyId) is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(ct);
        try
        {
            if (!_keys.ContainsKey(keyId) && time.GetUtcNow() - _readAt > TimeSpan.FromMinutes(1))
            {
                var set = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonWebKeySet>(http.CreateClient(HttpClientName), options.Value.WebhookJwksUrl, ct);
                _keys = (set?.Keys ?? []).Where(k => k is { Kty: "EC", Crv: "P-384" }).ToDictionary(k => k.Kid, StringComparer.Ordinal);
                _readAt = time.GetUtcNow();
            }

            return _keys.GetValueOrDefault(keyId);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

/// <summary>
/// <c>POST /api/v1/tra/webhooks</c>: a webhook from TRS, taken as TRS sends them (CloudEvents binary mode, RFC 9421
/// <c>ecdsa-p384-sha384</c> over at least the target URI, the Content-Digest and the event's id and type). It is refused
/// unless the signature verifies against TRS's JWKS, the digest matches the body and the signature has not expired; the
/// same signed message twice is a replay (TRS signs each retry afresh, so its retries are taken). Then
/// <c>trn_request.completed</c> stores the TRN at once and <c>person.deactivated</c> marks the trainee; other types are
/// acknowledged and ignored.
/// </summary>
public sealed partial class ReceiveTrsWebhook(IDbConnectionFactory db, TrsWebhookKeys keys, ReceiveTrn receive, IOptions<TraOptions> options, TimeProvider time,
    ILogger<ReceiveTrsWebhook> log)
{
    /// <summary>What TRS covers with every signature; a message covering less is not taken.</summary>
    private static readonly string[] Required = ["@target-uri", "content-digest", "ce-id", "ce-type"];

    /// <summary>How far a signature's <c>created</c> may be ahead of our clock.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromMinutes(1);

    public async Task<Outcome<string>> RunAsync(HttpRequest request, CancellationToken ct)
    {
        if (options.Value.WebhookJwksUrl is null)
        {
            return ApiErrors.TraWebhookNotEnabled();
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, ct);
        var body = buffer.ToArray();
        var verified = await VerifyAsync(request, body, ct);
        if (verified.Failed)
        {
            var why = verified.Error.Detail ?? "";
            Refused(log, why);
            return verified.Error;
        }

        var (eventId, expires, signature) = verified.Value;
        if (!await RememberAsync(signature, eventId, expires, ct))
        {
            return ApiErrors.TraWebhookReplayed();
        }

        var type = request.Headers["ce-type"].ToString();
        var data = Data(body);
        var changed = type switch
        {
            "trn_request.completed" when Completed(data) is ({ } trainee, { } trn) => await receive.FromWebhookAsync(trainee, trn, ct) ? 1 : 0,
            "person.deactivated" when data.ValueKind == JsonValueKind.Object && data.TryGetProperty("deactivatedPerson", out var person) && person.TryGetProperty("trn", out var deactivated) =>
                await receive.DeactivatedAsync(deactivated.GetString() ?? "", ct),
            _ => 0,
        };
        Taken(log, type, eventId, changed);

        return type;
    }

    /// <summary>The event's data (the body); an empty object when it is not a JSON object.</summary>
    private static JsonElement Data(byte[] body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement is { ValueKind: JsonValueKind.Object } data ? data.Clone() : default;
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary>The TRN request's trainee and TRN, when the data is a completed request of ours.</summary>
    private static (Guid?, string?) Completed(JsonElement data) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("trnRequest", out var r) && r.TryGetProperty("status", out var s) && s.GetString() == "Completed"
        && r.TryGetProperty("trn", out var trn) && trn.GetString() is { } t && TraRules.IsTrn(t) && r.TryGetProperty("requestId", out var id)
            ? (TraRules.TraineeOf(id.GetString()), t)
            : (null, null);

    private async Task<Outcome<(string EventId, DateTimeOffset Expires, string Signature)>> VerifyAsync(HttpRequest request, byte[] body, CancellationToken ct)
    {
        var inputs = MessageSignatures.ParseInput(request.Headers["Signature-Input"]);
        var signatures = MessageSignatures.ParseSignatures(request.Headers["Signature"]);
        var label = inputs?.Keys.FirstOrDefault(l => signatures?.ContainsKey(l) == true);
        if (label is null)
        {
            return ApiErrors.TraWebhookSignatureInvalid("The message has no RFC 9421 signature (Signature-Input and Signature).");
        }

        var parameters = inputs![label];
        var now = time.GetUtcNow();
        var expires = DateTimeOffset.FromUnixTimeSeconds(parameters.Expires);
        var problem = parameters.Alg is not (null or MessageSignatures.Algorithm) ? $"The signature's algorithm is {parameters.Alg}, not {MessageSignatures.Algorithm}."
            : Required.FirstOrDefault(c => !parameters.Components.Contains(c)) is { } missing ? $"The signature does not cover {missing}."
            : expires <= now ? "The signature has expired."
            : DateTimeOffset.FromUnixTimeSeconds(parameters.Created) > now + Skew ? "The signature was created in the future."
            : !MessageSignatures.DigestMatches(request.Headers["Content-Digest"], body) ? "The Content-Digest does not match the body."
            : null;
        var key = problem is null ? await keys.FindAsync(parameters.KeyId, ct) : null;
        problem ??= key is null ? $"TRS's JWKS has no key {parameters.KeyId}." : null;
        var signatureBase = problem is null ? MessageSignatures.Base(parameters, name => Component(request, body, name)) : null;
        problem ??= signatureBase is null ? "A component the signature covers is missing from the message." : null;
        if (problem is null)
        {
            using var publicKey = key!.ToPublicKey();
            problem = MessageSignatures.Verifies(publicKey, signatureBase!, signatures![label]) ? null : "The signature does not verify against TRS's key.";
        }

        return problem is null
            ? (request.Headers["ce-id"].ToString(), expires, Convert.ToBase64String(SHA256.HashData(signatures![label])))
            : ApiErrors.TraWebhookSignatureInvalid(problem);
    }

    /// <summary>A covered component's value as this request has it; the target URI as registered with TRS, when set.</summary>
    private string? Component(HttpRequest request, byte[] body, string name) => name switch
    {
        "@method" => request.Method,
        "@target-uri" => options.Value.WebhookUrl?.AbsoluteUri ?? $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
        "content-length" => request.ContentLength?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ when name.StartsWith('@') => null,
        _ => request.Headers.TryGetValue(name, out var values) ? string.Join(", ", values.ToArray()) : null,
    };

    /// <summary>The signature, kept until it expires; false when it was taken before (a replay). Expired ones are forgotten.</summary>
    private async Task<bool> RememberAsync(string signature, string eventId, DateTimeOffset expires, CancellationToken ct) =>
        (await db.WriteAsync<bool>(async work =>
        {
            var now = time.UtcNowMicros();
            await work.Connection.ExecuteAsync(work.Command("DELETE FROM tra_webhook_receipts WHERE expires_at < @now", new { now }, ct));
            return await work.Connection.ExecuteAsync(work.Command(
                "INSERT INTO tra_webhook_receipts (signature_hash, event_id, expires_at) VALUES (@signature, @eventId, @expires) ON CONFLICT (signature_hash) DO NOTHING",
                new { signature, eventId, expires }, ct)) == 1;
        }, ct)).Value;

    // The event's type and id, never its data (a TRN is not logged either).
    [LoggerMessage(Level = LogLevel.Warning, Message = "A webhook claiming to be TRS's was refused: {Why}")]
    private static partial void Refused(ILogger log, string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "TRS webhook {Type} ({EventId}) taken: {Changed} trainee(s) changed.")]
    private static partial void Taken(ILogger log, string type, string eventId, int changed);
}
