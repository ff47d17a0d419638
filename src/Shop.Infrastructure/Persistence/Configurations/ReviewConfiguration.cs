using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Shop.Domain.Products;

namespace Shop.Infrastructure.Persistence.Configurations;

internal sealed class ReviewConfiguration : IEntityTypeConfiguration<Review>
{
    public void Configure(EntityTypeBuilder<Review> builder)
    {
        builder.Property(r => r.Text).HasMaxLength(2000);
        builder.ToTable("reviews", t => t.HasCheckConstraint("ck_reviews_rating", $"rating BETWEEN {Review.MinRating} AND {Review.MaxRating}"));
        builder.HasOne<Product>().WithMany().HasForeignKey(r => r.ProductId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Domain.Users.User>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade)
            .HasConstraintName("fk_reviews_users_user_id"); // the migrations' name; by convention it would follow the entity (user), not the table
        // Covering index: the product page's count and average are index-only scans.
        builder.HasIndex(r => new { r.ProductId, r.Rating });
        builder.HasIndex(r => r.UserId);
    }
}
