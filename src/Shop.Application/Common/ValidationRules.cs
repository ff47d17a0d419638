using System.Text;
using FluentValidation;
using Shop.Domain.Products;

namespace Shop.Application.Common;

/// <summary>
/// Rules shared by several validators, so a rule is spelt once. Text that reaches PostgreSQL and the caches must be
/// stored exactly as sent, so it is refused (400), never repaired: control characters (PostgreSQL refuses NUL, and a
/// trailing newline is how "EUR\n" slipped past a <c>$</c>-anchored pattern), lone surrogates (not encodable as
/// UTF-8), bidirectional overrides (text that displays differently from what it is) and text that is not in Unicode
/// normalisation form C (two spellings of one name would be two different rows and cache keys). Clients send NFC,
/// which is what keyboards and browsers produce. Patterns end with <c>\z</c>, since <c>$</c> also matches before a
/// final newline.
/// </summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, decimal> MustBeAValidPrice<T>(this IRuleBuilder<T, decimal> rule) =>
        rule.Must(Money.IsValidPrice)
            .WithMessage($"Price must be greater than 0, at most {Money.MaxPrice:0,0}, with at most 2 decimals.");

    public static IRuleBuilderOptions<T, string> MustBeACurrencyCode<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().Matches(@"^[A-Z]{3}\z").WithMessage("Currency must be a three-letter ISO 4217 code such as EUR.");

    public static IRuleBuilderOptions<T, string> MustBeAPlan<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(p => Plans.TryParse(p, out _)).WithMessage($"Plan must be one of: {string.Join(", ", Plans.Names)}.");

    /// <summary>Single-line text (names, e-mail addresses): no control character at all. Null passes (use NotEmpty).</summary>
    public static IRuleBuilderOptions<T, string> MustBePlainText<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(s => s is null || TextProblem(s, allowLineBreaks: false) is null)
            .WithMessage((_, s) => "{PropertyName} " + TextProblem(s, allowLineBreaks: false));

    /// <summary>Multi-line text (descriptions): tab, CR and LF allowed, no other control character.</summary>
    public static IRuleBuilderOptions<T, string?> MustBeMultilineText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(s => s is null || TextProblem(s, allowLineBreaks: true) is null)
            .WithMessage((_, s) => "{PropertyName} " + TextProblem(s!, allowLineBreaks: true));

    /// <summary>Why <paramref name="text"/> cannot be stored as it is, or null when it can.</summary>
    public static string? TextProblem(string text, bool allowLineBreaks)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }
            if (char.IsSurrogate(c)) return "must be well-formed Unicode (it has a lone surrogate).";
            if (char.IsControl(c) && !(allowLineBreaks && c is '\t' or '\r' or '\n')) return $"must not contain control characters (U+{(int)c:X4}).";
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069') return $"must not contain bidirectional overrides (U+{(int)c:X4}).";
        }
        return text.IsNormalized(NormalizationForm.FormC) ? null : "must be in Unicode normalisation form C (NFC).";
    }
}
