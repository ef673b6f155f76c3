using System.Diagnostics.CodeAnalysis;

namespace Iqts.Api.Errors;

/// <summary>A value, or the error that stopped it. Errors are values, not exceptions.</summary>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    internal Outcome(T? value, ApiError? error)
    {
        _value = value;
        Error = error;
    }

    public ApiError? Error { get; }

    [MemberNotNullWhen(true, nameof(Error))]
    public bool Failed => Error is not null;

    public T Value => Error is null ? _value! : throw new InvalidOperationException($"The outcome is the error {Error.Code}, not a value.");

    public static implicit operator Outcome<T>(T value) => new(value, null);


    public static implicit operator Outcome<T>(ApiError error) => new(default, error);

    /// <summary>Runs <paramref name="next"/> on the value; an error passes through unchanged.</summary>
    public Outcome<TNext> Then<TNext>(Func<T, Outcome<TNext>> next) => Error is { } error ? error : next(_value!);
}

public static class Outcome
{
    /// <summary>The value as an outcome, where no implicit conversion applies (C# has none from an interface type).</summary>
    public static Outcome<T> Of<T>(T value) => new(value, null);
}
