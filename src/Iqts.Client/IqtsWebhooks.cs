// Written by hand (the rest of this SDK is generated): the check a webhook receiver makes of what the iQTS API sends.
// It is a second implementation of RFC 9421, apart from the API's own signer, and the tests hold each against the other.
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Iqts.Client;

/// <summary>An event the iQTS API sent, checked: CloudEvents attributes and the data.</summary>
/// <param name="Id">The event's id (<c>ce-id</c>): the same on every retry and in the feed; process each id once.</param>
/// <param name="Type">What happened (<c>ce-type</c>), e.g. <c>trainee.trn_received</c>.</param>
/// <param name="Source">The API (<c>ce-source</c>).</param>
/// <param name="Subject">What it is about (<c>ce-subject</c>), e.g. <c>trainees/{traineeId}</c>.</param>
/// <param name="Time">When the change was made (<c>ce-time</c>).</param>
/// <param name="Data">The body: ids, the new state and an <c>href</c>.</param>
public sealed record IqtsEvent(string Id, string Type, string Source, string Subject, DateTimeOffset Time, JsonElement Data);

/// <summary>Why a received webhook is not to be trusted. Answer it with 401 (or 400), and process nothing.</summary>
public class IqtsWebhookException(string message) : Exception(message);

/// <summary>
/// A webhook whose signature holds but whose <c>ce-id</c> this verifier has seen already: a retry of an event you took
/// (your 2xx did not reach the API), or a replay. Answer it 200, and do not process it again.
/// </summary>
public sealed class IqtsWebhookReplayException(IqtsEvent webhookEvent) : IqtsWebhookException($"Event {webhookEvent.Id} was received already.")
{
    public IqtsEvent Event { get; } = webhookEvent;
}

/// <summary>
/// Verifies webhooks from the iQTS API, as Stripe's SDKs do theirs: the RFC 9421 signature (<c>ecdsa-p384-sha384</c>)
/// against the API's JWKS, that it covers the method, the target URI, the body's Content-Digest, its type and the
/// event's id, type and time, that the digest matches the body, that the signature has not expired, and that the
/// event's id has not been seen in the last hour. Then it returns the event.
/// <code>
/// var verifier = await IqtsWebhookVerifier.FromApiAsync(iqts);                // keys from GET /.well-known/webhook-jwks.json
/// var e = verifier.Verify("POST", new Uri("https://srs.example.ac.uk/iqts/webhooks"), request.Headers, body);
/// </code>
/// </summary>
public sealed class IqtsWebhookVerifier
{
    private static readonly string[] Required = ["@method", "@target-uri", "content-digest", "content-type", "ce-id", "ce-type", "ce-time"];

    private readonly Dictionary<string, ECDsa> _keys;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Func<DateTimeOffset> _now;

    /// <param name="keys">The API's JWKS.</param>
    /// <param name="now">The clock (the system's by default).</param>
    public IqtsWebhookVerifier(JsonWebKeySet keys, Func<DateTimeOffset>? now = null)
    {
        _keys = keys.Keys.Where(k => k.Kty == "EC" && k.Crv == "P-384").ToDictionary(k => k.Kid, ToKey, StringComparer.Ordinal);
        _now = now ?? (() => DateTimeOffset.UtcNow);
    }

    /// <summary>How far a signature's <c>created</c> may be ahead of this clock.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>How long an event's id is remembered for replays.</summary>
    public TimeSpan ReplayWindow { get; init; } = TimeSpan.FromHours(1);

    /// <summary>A verifier with the API's current keys. Make a new one when a webhook names a key it does not have (the API rotated).</summary>
    public static async Task<IqtsWebhookVerifier> FromApiAsync(IqtsClient client, CancellationToken ct = default) => new(await client.GetWebhookJwksAsync(ct));

    /// <summary>Checks a received webhook; its event, or an <see cref="IqtsWebhookException"/> saying why not.</summary>
    /// <param name="method">The request's method (POST).</param>
    /// <param name="targetUri">The full URL the request was sent to: the subscription's URL.</param>
    /// <param name="headers">The request's headers, content headers included, names in any case.</param>
    /// <param name="body">The body, exactly as received.</param>
    public IqtsEvent Verify(string method, Uri targetUri, IEnumerable<KeyValuePair<string, IEnumerable<string>>> headers, byte[] body)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            fields[name] = fields.TryGetValue(name, out var earlier) ? $"{earlier}, {string.Join(", ", values)}" : string.Join(", ", values);
        }

        var (label, components, parameters, parametersText) = Input(fields.GetValueOrDefault("Signature-Input"));
        var signature = Signature(fields.GetValueOrDefault("Signature"), label);
        if (Required.FirstOrDefault(c => !components.Contains(c)) is { } missing)
        {
            throw new IqtsWebhookException($"The signature does not cover {missing}.");
        }

        if (parameters.GetValueOrDefault("alg") is { } alg && alg != "ecdsa-p384-sha384")
        {
            throw new IqtsWebhookException($"The signature's algorithm is {alg}.");
        }

        var now = _now();
        if (!long.TryParse(parameters.GetValueOrDefault("expires"), NumberStyles.None, CultureInfo.InvariantCulture, out var expires) || DateTimeOffset.FromUnixTimeSeconds(expires) <= now)
        {
            throw new IqtsWebhookException("The signature has expired.");
        }

        if (!long.TryParse(parameters.GetValueOrDefault("created"), NumberStyles.None, CultureInfo.InvariantCulture, out var created) || DateTimeOffset.FromUnixTimeSeconds(created) > now + ClockSkew)
        {
            throw new IqtsWebhookException("The signature's creation time is missing or in the future.");
        }

        if (!_keys.TryGetValue(parameters.GetValueOrDefault("keyid") ?? "", out var key))
        {
            throw new IqtsWebhookException($"The JWKS has no key '{parameters.GetValueOrDefault("keyid")}': read it again.");
        }

        var digest = fields.GetValueOrDefault("Content-Digest") ?? "";
        var expected = "sha-256=:" + Convert.ToBase64String(SHA256.HashData(body)) + ":";
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(digest.Trim()), Encoding.ASCII.GetBytes(expected)))
        {
            throw new IqtsWebhookException("The Content-Digest does not match the body.");
        }

        var signatureBase = new StringBuilder();
        foreach (var component in components)
        {
            var value = component switch
            {
                "@method" => method.ToUpperInvariant(),
                "@target-uri" => targetUri.AbsoluteUri,
                _ => fields.TryGetValue(component, out var v) ? v.Trim() : throw new IqtsWebhookException($"The signed field {component} is missing."),
            };
            signatureBase.Append('"').Append(component).Append("\": ").Append(value).Append('\n');
        }

        signatureBase.Append("\"@signature-params\": ").Append(parametersText);
        if (!key.VerifyData(Encoding.ASCII.GetBytes(signatureBase.ToString()), signature, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
        {
            throw new IqtsWebhookException("The signature does not verify.");
        }

        var webhookEvent = new IqtsEvent(fields["ce-id"], fields["ce-type"], fields.GetValueOrDefault("ce-source") ?? "", fields.GetValueOrDefault("ce-subject") ?? "",
            DateTimeOffset.Parse(fields["ce-time"], CultureInfo.InvariantCulture), JsonDocument.Parse(body.Length == 0 ? "{}"u8.ToArray() : body).RootElement.Clone());
        Forget(now);
        if (!_seen.TryAdd(webhookEvent.Id, now))
        {
            throw new IqtsWebhookReplayException(webhookEvent);
        }

        return webhookEvent;
    }

    /// <summary>The same check of a request as an <see cref="HttpRequestMessage"/> (a test, a proxy).</summary>
    public async Task<IqtsEvent> VerifyAsync(HttpRequestMessage request, CancellationToken ct = default)
    {
        var body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(ct);
        var headers = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>());
        return Verify(request.Method.Method, request.RequestUri!, headers, body);
    }

    private void Forget(DateTimeOffset now)
    {
        foreach (var (id, at) in _seen)
        {
            if (now - at > ReplayWindow)
            {
                _seen.TryRemove(id, out _);
            }
        }
    }

    /// <summary>The first member of <c>Signature-Input</c>: its label, components, parameters and their text as signed.</summary>
    private static (string Label, List<string> Components, Dictionary<string, string> Parameters, string Text) Input(string? header)
    {
        var member = (header ?? "").Trim();
        var equals = member.IndexOf('=');
        var close = member.IndexOf(')');
        if (equals <= 0 || close < equals || member[equals + 1] != '(')
        {
            throw new IqtsWebhookException("The request has no Signature-Input.");
        }

        var comma = member.IndexOf(',', close);
        var text = member[(equals + 1)..(comma < 0 ? member.Length : comma)].Trim();
        var components = member[(equals + 2)..close].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim('"')).ToList();
        var parameters = text[(text.IndexOf(')') + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0].Trim(), p => p[1].Trim().Trim('"'), StringComparer.Ordinal);
        return (member[..equals].Trim(), components, parameters, text);
    }

    private static byte[] Signature(string? header, string label)
    {
        foreach (var member in (header ?? "").Split(','))
        {
            var equals = member.IndexOf('=');
            var value = equals < 0 ? "" : member[(equals + 1)..].Trim();
            if (equals > 0 && member[..equals].Trim() == label && value.Length > 2 && value[0] == ':' && value[^1] == ':')
            {
                try
                {
                    return Convert.FromBase64String(value[1..^1]);
                }
                catch (FormatException)
                {
                    break;
                }
            }
        }

        throw new IqtsWebhookException("The request has no Signature for its Signature-Input.");
    }

    private static ECDsa ToKey(JsonWebKey jwk) => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP384,
        Q = new ECPoint { X = FromBase64Url(jwk.X), Y = FromBase64Url(jwk.Y) },
    });

    private static byte[] FromBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }
}
