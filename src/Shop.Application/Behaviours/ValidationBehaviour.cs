using System.Runtime.CompilerServices;
using FluentValidation;
using Mediator;

namespace Shop.Application.Behaviours;

/// <summary>Runs every FluentValidation validator of the request; a failure becomes a 400 before any handler or cache runs.</summary>
public sealed class ValidationBehaviour<TMessage, TResponse>(IEnumerable<IValidator<TMessage>> validators)
    : IPipelineBehavior<TMessage, TResponse>
    where TMessage : notnull, IMessage
{
    // The container hands out the same cached array of singleton validators every time: used as is, not copied per request.
    private readonly IValidator<TMessage>[] _validators = validators as IValidator<TMessage>[] ?? [.. validators];

    // A Redis hit or a load completes after an await: the state machine's box comes from a pool, not a new one per request.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResponse> Handle(TMessage message, MessageHandlerDelegate<TMessage, TResponse> next, CancellationToken cancellationToken)
    {
        if (_validators.Length > 0)
        {
            var context = new ValidationContext<TMessage>(message);
            List<FluentValidation.Results.ValidationFailure>? failures = null; // valid requests, the hot path, allocate no list
            foreach (var validator in _validators)
            {
                var result = await validator.ValidateAsync(context, cancellationToken);
                if (!result.IsValid) (failures ??= []).AddRange(result.Errors);
            }
            if (failures is not null) throw new ValidationException(failures);
        }
        return await next(message, cancellationToken);
    }
}
