using System.Linq.Expressions;
using System.Reflection;

namespace Iqts.Api.Data;

/// <summary>
/// A row type and the model it stores share most properties by name and type; this copies those (compiled once per pair
/// of types), so each mapping states only what differs: enums kept as text, nested records flattened into columns,
/// JSON columns, and ids named differently. A value and its nullable form count as the same type.
/// </summary>
public static class SharedProperties
{
    /// <summary>A new <typeparamref name="TTarget"/> with every property it shares with <paramref name="source"/>; set the rest with <c>with</c>.</summary>
    public static TTarget Copy<TSource, TTarget>(TSource source)
        where TTarget : new() => Mapping<TSource, TTarget>.Copy(source);

    private static class Mapping<TSource, TTarget>
        where TTarget : new()
    {
        public static readonly Func<TSource, TTarget> Copy = Compile();

        private static Func<TSource, TTarget> Compile()
        {
            var source = Expression.Parameter(typeof(TSource), "source");
            var readable = typeof(TSource).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanRead).ToDictionary(p => p.Name);
            var bindings = new List<MemberBinding>();
            foreach (var target in typeof(TTarget).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite))
            {
                if (readable.TryGetValue(target.Name, out var from) && Convertible(from.PropertyType, target.PropertyType))
                {
                    Expression value = Expression.Property(source, from);
                    if (from.PropertyType != target.PropertyType)
                    {
                        // DateOnly? to DateOnly reads the value (the model's nullable is only a request's "not sent"); DateOnly to DateOnly? wraps it.
                        value = Nullable.GetUnderlyingType(from.PropertyType) is not null
                            ? Expression.Call(value, from.PropertyType.GetMethod(nameof(Nullable<int>.GetValueOrDefault), Type.EmptyTypes)!)
                            : Expression.Convert(value, target.PropertyType);
                    }

                    bindings.Add(Expression.Bind(target, value));
                }
            }

            return Expression.Lambda<Func<TSource, TTarget>>(Expression.MemberInit(Expression.New(typeof(TTarget)), bindings), source).Compile();
        }

        private static bool Convertible(Type from, Type to) =>
            from == to || Nullable.GetUnderlyingType(to) == from || Nullable.GetUnderlyingType(from) == to;
    }
}
