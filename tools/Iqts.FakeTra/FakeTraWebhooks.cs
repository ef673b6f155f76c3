using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Iqts.FakeTra;

/// <summary>
/// TRS's webhooks, as its WebhookSender sends them (../shared/anchors/tra-trs-v3.md §6): CloudEvents 1.0 in binary mode,
/// signed under RFC 9421 with an EC P-384 key published as a JWKS, label <c>sig1</c>, covering <c>@target-uri</c>,
/// <c>content-digest</c>, <c>content-length</c>, <c>ce-id</c>, <c>ce-type</c> and <c>ce-time</c>, with <c>keyid</c>,
/// <c>created</c>, <c>expires</c> (300 s on), a <c>nonce</c> and <c>tag="trs-webhooks"</c>. Signed here with code of its own,
/// so the API's verifier is checked against a third implementation.
/// </summary>
public sealed class FakeTraWebhooks : IDisposable
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
    private readonly string _keyId = "fake-trs-" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The clock signatures are dated by (a test's, to match the API's).</summary>
    public TimeProvider Clock { get; set; } = TimeProvider.System;

    /// <summary>Where webhooks go; none are sent without it.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>How webhooks are sent (a test's in-memory client to the API; a real one otherwise).</summary>
    public HttpClient Http { get; set; } = new();

    /// <summary>The last request sent, as sent (for a test that replays it).</summary>
    public (Uri Url, Dictionary<string, string> Headers, byte[] Body)? Last { get; private set; }

    public object Jwks
    {
        get
        {
            var p = _key.ExportParameters(false);
            return new { keys = new[] { new { kty = "EC", crv = "P-384", x = Base64Url(p.Q.X!), y = Base64Url(p.Q.Y!), kid = _keyId, alg = "ES384", use = "sig" } } };
        }
    }

    public Task<int?> TrnRequestCompletedAsync(string requestId, string trn) =>
        SendAsync("trn_request.completed", new
        {
            trnRequest = new { requestId, trn, status = "Completed", potentialDuplicate = false, accessYourTeachingQualificationsLink = $"https://fake-tra.invalid/aytq?trn_token={requestId}" },
        });

    public Task<int?> PersonDeactivatedAsync(string trn, string? mergedWithTrn) =>
        SendAsync("person.deactivated", new { deactivatedPerson = new { trn }, mergedWithPerson = mergedWithTrn is null ? null : new { trn = mergedWithTrn } });

    /// <summary>
    /// Sends one webhook; the receiver's status, or null when no endpoint is set. <paramref name="created"/> moves the
    /// signature's time (an expired one, say); <paramref name="tamper"/> changes the request after it was signed.
    /// </summary>
    public async Task<int?> SendAsync(string type, object data, DateTimeOffset? created = null, Action<HttpRequestMessage>? tamper = null)
    {
        if (Endpoint is not { } url)
        {
            return null;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(data, JsonOptions);
        var at = created ?? Clock.GetUtcNow();
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["ce-specversion"] = "1.0",
            ["ce-id"] = Guid.NewGuid().ToString(),
            ["ce-source"] = "https://fake-tra.invalid/",
            ["ce-type"] = type,
            ["ce-time"] = at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
            ["ce-dataschema"] = "https://fake-tra.invalid/swagger/v3_20260612.json",
            ["Content-Type"] = "application/json",
            ["Content-Length"] = body.Length.ToString(CultureInfo.InvariantCulture),
            ["content-digest"] = $"sha-256=:{Convert.ToBase64String(SHA256.HashData(body))}:",
        };
        string[] covered = ["@target-uri", "content-digest", "content-length", "ce-id", "ce-type", "ce-time"];
        var parameters = $"({string.Join(' ', covered.Select(c => $"\"{c}\""))});created={at.ToUnixTimeSeconds()};expires={at.ToUnixTimeSeconds() + 300}"
            + $";nonce=\"{Guid.NewGuid():N}\";alg=\"ecdsa-p384-sha384\";keyid=\"{_keyId}\";tag=\"trs-webhooks\"";
        var lines = covered.Select(c => $"\"{c}\": {(c == "@target-uri" ? url.AbsoluteUri : headers[c])}").Append($"\"@signature-params\": {parameters}");
        var signature = _key.SignData(Encoding.ASCII.GetBytes(string.Join('\n', lines)), HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        headers["Signature-Input"] = $"sig1={parameters}";
        headers["Signature"] = $"sig1=:{Convert.ToBase64String(signature)}:";
        Last = (url, headers, body);
        return await SendRawAsync(url, headers, body, tamper);
    }

    /// <summary>A request of these exact headers and body (a replay, when they are the last ones sent).</summary>
    public async Task<int?> SendRawAsync(Uri url, Dictionary<string, string> headers, byte[] body, Action<HttpRequestMessage>? tamper = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        foreach (var (name, value) in headers.Where(h => h.Key != "Content-Length"))
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        tamper?.Invoke(request);
        using var response = await Http.SendAsync(request);
        return (int)response.StatusCode;
    }

    public void Dispose()
    {
        _key.Dispose();
        Http.Dispose();
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
