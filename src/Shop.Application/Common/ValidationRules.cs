using FluentValidation;
using Shop.Domain.Products;

namespace Shop.Application.Common;

/// <summary>Rules shared by several validators, so a rule is spelt once.</summary>
public static class ValidationRules
{
    public static IRuleBuilderOptions<T, decimal> MustBeAValidPrice<T>(this IRuleBuilder<T, decimal> rule) =>
        rule.Must(Money.IsValidPrice)
            .WithMessage($"Price must be greater than 0, at most {Money.MaxPrice:0,0}, with at most 2 decimals.");

    public static IRuleBuilderOptions<T, string> MustBeACurrencyCode<T>(this IRuleBuilder<T, string> rule) =>
        rule.NotEmpty().Matches("^[A-Z]{3}$").WithMessage("Currency must be a three-letter ISO 4217 code such as EUR.");

    public static IRuleBuilderOptions<T, string> MustBeAPlan<T>(this IRuleBuilder<T, string> rule) =>
        rule.Must(p => Plans.TryParse(p, out _)).WithMessage($"Plan must be one of: {string.Join(", ", Plans.Names)}.");
}
