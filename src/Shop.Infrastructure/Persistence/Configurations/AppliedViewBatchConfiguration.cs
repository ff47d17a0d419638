using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Domain.PageViews;

namespace Shop.Infrastructure.Persistence.Configurations;

internal sealed class AppliedViewBatchConfiguration : IEntityTypeConfiguration<AppliedViewBatch>
{
    public void Configure(EntityTypeBuilder<AppliedViewBatch> builder)
    {
        builder.ToTable("applied_view_batches");
        builder.HasKey(b => b.BatchId);
        builder.Property(b => b.BatchId).ValueGeneratedNever();
        // The flusher prunes ids past their retention by age.
        builder.HasIndex(b => b.AppliedAt);
    }
}
