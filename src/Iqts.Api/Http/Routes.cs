using System.Linq.Expressions;
using System.Reflection;
using Microsoft.AspNetCore.Http.Metadata;

namespace Iqts.Api.Http;

/// <summary>
/// A handler's route, relative to <c>/api/v1</c>: each handler carries it beside its name, summary and problems, so one
/// place says everything about an operation. <see cref="Routes.MapHandlers"/> maps every handler of a feature's class.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public abstract class EndpointRouteAttribute(string method, string pattern) : Attribute
{
    public string Method { get; } = method;

    public string Pattern { get; } = pattern;
}

public sealed class GetAttribute(string pattern) : EndpointRouteAttribute(HttpMethods.Get, pattern);

public sealed class PostAttribute(string pattern) : EndpointRouteAttribute(HttpMethods.Post, pattern);

public sealed class PutAttribute(string pattern) : EndpointRouteAttribute(HttpMethods.Put, pattern);

public sealed class PatchAttribute(string pattern) : EndpointRouteAttribute(HttpMethods.Patch, pattern);

public sealed class DeleteAttribute(string pattern) : EndpointRouteAttribute(HttpMethods.Delete, pattern);

public static class Routes
{
    /// <summary>
    /// Maps every static method of <paramref name="handlers"/> that carries a route, in the order they are declared, each
    /// with the tags and authorisation its class declares (a handler may narrow the authorisation with its own).
    /// </summary>
    public static IEndpointRouteBuilder MapHandlers(this IEndpointRouteBuilder routes, Type handlers)
    {
        var shared = handlers.GetCustomAttributes(inherit: false).Where(a => a is ITagsMetadata or IAuthorizeData).ToArray();
        foreach (var method in handlers.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic).OrderBy(m => m.MetadataToken))
        {
            if (method.GetCustomAttribute<EndpointRouteAttribute>() is { } route)
            {
                var signature = Expression.GetDelegateType([.. method.GetParameters().Select(p => p.ParameterType), method.ReturnType]);
                routes.MapMethods(route.Pattern, [route.Method], method.CreateDelegate(signature)).WithMetadata(shared);
            }
        }

        return routes;
    }
}
