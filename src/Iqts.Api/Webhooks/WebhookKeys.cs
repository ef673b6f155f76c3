using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Iqts.Api.Webhooks;

/// <summary>
/// The keys webhooks are signed with (EC P-384): every configured key is published, the newest signs. Without a
/// configured key the instance makes one of its own and says so at start-up: a receiver then trusts a key that lasts as
/// long as the process, which does for development and not for several instances.
/// </summary>
public sealed partial class WebhookKeys : IDisposable
{
    private readonly List<(string Id, ECDsa Key, DateTimeOffset CreatedOn)> _keys;

    public WebhookKeys(IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookKeys> log)
    {
        _keys = [.. options.Value.SigningKeys.Select(k => (k.Id, Load(k), k.CreatedOn)).OrderBy(k => k.CreatedOn)];
        if (_keys.Count == 0)
        {
            var id = $"ephemeral-{time.GetUtcNow():yyyyMMddHHmmss}-{Guid.NewGuid().ToString("N")[..8]}";
            _keys.Add((id, ECDsa.Create(ECCurve.NamedCurves.nistP384), time.GetUtcNow()));
            Ephemeral(log, id);
        }
    }

    /// <summary>The key that signs, and its id.</summary>
    public (string Id, ECDsa Key) Signing => (_keys[^1].Id, _keys[^1].Key);

    public JsonWebKeySet Jwks => new([.. _keys.Select(k => JsonWebKey.Of(k.Id, k.Key))]);

    /// <summary>A P-384 private key from its PEM; anything else fails start-up with the key's id.</summary>
    private static ECDsa Load(WebhookSigningKey key)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(key.PrivateKeyPem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ecdsa.Dispose();
            throw new OptionsValidationException(nameof(WebhookOptions.SigningKeys), typeof(WebhookOptions), [$"Webhooks:SigningKeys '{key.Id}' is not a PEM private key."]);
        }

        if (ecdsa.KeySize != 384)
        {
            ecdsa.Dispose();
            throw new OptionsValidationException(nameof(WebhookOptions.SigningKeys), typeof(WebhookOptions), [$"Webhooks:SigningKeys '{key.Id}' is not an EC P-384 key."]);
        }

        return ecdsa;
    }

    public void Dispose()
    {
        foreach (var (_, key, _) in _keys)
        {
            key.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhooks: no Webhooks:SigningKeys configured, so webhooks are signed with key {KeyId}, made for this process alone. Configure keys for production and for several instances.")]
    private static partial void Ephemeral(ILogger log, string keyId);
}
