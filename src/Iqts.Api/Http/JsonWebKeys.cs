using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Iqts.Api.Http;

/// <summary>Public signing keys as a JSON Web Key Set (RFC 7517): ours for webhook receivers, TRS's for its webhooks to us.</summary>
public sealed record JsonWebKeySet([property: JsonPropertyName("keys")] IReadOnlyList<JsonWebKey> Keys);

/// <summary>An EC P-384 public key (RFC 7518 §6.2).</summary>
public sealed record JsonWebKey(
    [property: JsonPropertyName("kty")] string Kty,
    [property: JsonPropertyName("crv")] string Crv,
    [property: JsonPropertyName("x")] string X,
    [property: JsonPropertyName("y")] string Y,
    [property: JsonPropertyName("kid")] string Kid,
    [property: JsonPropertyName("alg")] string Alg,
    [property: JsonPropertyName("use")] string Use)
{
    public static JsonWebKey Of(string kid, ECDsa key)
    {
        var p = key.ExportParameters(includePrivateParameters: false);
        return new("EC", "P-384", Base64Url.EncodeToString(p.Q.X), Base64Url.EncodeToString(p.Q.Y), kid, "ES384", "sig");
    }

    public ECDsa ToPublicKey() => ECDsa.Create(new ECParameters
    {
        Curve = ECCurve.NamedCurves.nistP384,
        Q = new ECPoint { X = Base64Url.DecodeFromChars(X), Y = Base64Url.DecodeFromChars(Y) },
    });
}
