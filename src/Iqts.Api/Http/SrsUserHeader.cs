using System.Text.RegularExpressions;

namespace Iqts.Api.Http;

/// <summary>
/// <c>X-Iqts-User: name="…"; id="…"; email="…"</c> (email optional): the person in the provider's student-record system
/// behind a write, as Apply's <c>meta.attribution</c> carries it. Read once per write, before the body, so a malformed
/// header is refused (400, naming it) whichever operation it came with; the history records it beside the token's
/// name. Personal data: it goes into the history, never into a log or a span.
/// </summary>
public sealed partial class SrsUserHeader(RequestDelegate next)
{
    public const string Name = "X-Iqts-User";

    private const string Rule = "must be name=\"…\"; id=\"…\" (and optionally email=\"…\"): quoted strings of at most 200 visible characters, name and id required.";

    private static readonly object Key = new();

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Headers[Name] is { Count: > 0 } values && !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            var user = values.Count == 1 ? Parse(values[0]) : null;
            if (user is null)
            {
                await ApiErrors.InvalidValue(Name, Rule).WriteAsync(context);
                return;
            }

            context.Items[Key] = user;
        }

        await next(context);
    }

    /// <summary>The user the request's header named, once the middleware has read it.</summary>
    public static SrsUser? Of(HttpContext context) => context.Items.TryGetValue(Key, out var user) ? (SrsUser?)user : null;

    /// <summary>The header's value as a user; null when it is not of the documented form.</summary>
    public static SrsUser? Parse(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in value.Split(';'))
        {
            var match = Parameter().Match(part);
            if (!match.Success || !fields.TryAdd(match.Groups["key"].Value, match.Groups["value"].Value.Replace("\\\"", "\"", StringComparison.Ordinal)))
            {
                return null;
            }
        }

        return fields.TryGetValue("name", out var name) && fields.TryGetValue("id", out var id) && !VisibleText.IsBlank(name) && !VisibleText.IsBlank(id)
            && fields.Keys.All(k => k is "name" or "id" or "email") && fields.Values.All(v => TextRule.Problem(v) is null)
            ? new SrsUser(name.Trim(), id.Trim(), fields.GetValueOrDefault("email")?.Trim())
            : null;
    }

    [GeneratedRegex("""^\s*(?<key>[a-z]+)="(?<value>(?:[^"\\]|\\"){0,200})"\s*$""")]
    private static partial Regex Parameter();
}
