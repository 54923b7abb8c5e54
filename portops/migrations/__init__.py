"""Alembic migrations, shipped inside the package so ``portops db upgrade`` works anywhere."""
