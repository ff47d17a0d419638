using FluentValidation;

namespace Shop.Application.PageViews.RecordPageView;

public sealed class RecordPageViewCommandValidator : AbstractValidator<RecordPageViewCommand>
{
    public RecordPageViewCommandValidator() => RuleFor(c => c.ProductId).GreaterThan(0);
}
