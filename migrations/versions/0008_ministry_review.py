"""ministry review: answers, submission packages, reviewers' threads, API tokens

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('api_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('prefix', sa.String(length=12), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_api_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
    )
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_api_tokens_user_id'), ['user_id'], unique=False)

    op.create_table('submission_packages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('cover_letter', sa.Text(), nullable=False),
    sa.Column('filters', sa.String(length=500), nullable=False),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_submission_packages_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_submission_packages_sent_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submission_packages')),
    sa.UniqueConstraint('number', name=op.f('uq_submission_packages_number'))
    )
    with op.batch_alter_table('submission_packages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_submission_packages_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('package_files',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('format', sa.String(length=10), nullable=False),
    sa.Column('filename', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['submission_packages.id'], name=op.f('fk_package_files_package_id_submission_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_files')),
    sa.UniqueConstraint('package_id', 'format', name='uq_package_format')
    )
    with op.batch_alter_table('package_files', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_files_package_id'), ['package_id'], unique=False)

    op.create_table('package_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['users.id'], name=op.f('fk_package_notes_author_id_users')),
    sa.ForeignKeyConstraint(['package_id'], ['submission_packages.id'], name=op.f('fk_package_notes_package_id_submission_packages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_notes'))
    )
    with op.batch_alter_table('package_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_notes_package_id'), ['package_id'], unique=False)

    op.create_table('ministry_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=True),
    sa.Column('staged_verdict', sa.String(length=20), nullable=True),
    sa.Column('staged_reasoning', sa.Text(), nullable=False),
    sa.Column('staged_by_id', sa.Integer(), nullable=True),
    sa.Column('staged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('verdict', sa.String(length=20), nullable=True),
    sa.Column('reasoning', sa.Text(), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("staged_verdict IS NULL OR staged_verdict IN ('accepted', 'under_analysis', 'partly_accepted', 'rejected')", name=op.f('ck_ministry_answers_staged_known')),
    sa.CheckConstraint("verdict IS NULL OR verdict IN ('accepted', 'under_analysis', 'partly_accepted', 'rejected')", name=op.f('ck_ministry_answers_verdict_known')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_ministry_answers_organisation_id_organisations')),
    sa.ForeignKeyConstraint(['package_id'], ['submission_packages.id'], name=op.f('fk_ministry_answers_package_id_submission_packages')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_ministry_answers_published_by_id_users')),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_ministry_answers_recommendation_id_recommendations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staged_by_id'], ['users.id'], name=op.f('fk_ministry_answers_staged_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ministry_answers')),
    sa.UniqueConstraint('recommendation_id', 'organisation_id', name='uq_answer_per_ministry')
    )
    with op.batch_alter_table('ministry_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ministry_answers_recommendation_id'), ['recommendation_id'], unique=False)

    op.create_table('package_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('package_id', sa.Integer(), nullable=False),
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('revision_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=30), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['package_id'], ['submission_packages.id'], name=op.f('fk_package_items_package_id_submission_packages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_package_items_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['revision_id'], ['revisions.id'], name=op.f('fk_package_items_revision_id_revisions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_package_items')),
    sa.UniqueConstraint('package_id', 'recommendation_id', name='uq_package_recommendation')
    )
    with op.batch_alter_table('package_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_package_items_package_id'), ['package_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_package_items_recommendation_id'), ['recommendation_id'], unique=False)



def downgrade():
    with op.batch_alter_table('package_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_items_recommendation_id'))
        batch_op.drop_index(batch_op.f('ix_package_items_package_id'))

    op.drop_table('package_items')
    with op.batch_alter_table('ministry_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ministry_answers_recommendation_id'))

    op.drop_table('ministry_answers')
    with op.batch_alter_table('package_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_notes_package_id'))

    op.drop_table('package_notes')
    with op.batch_alter_table('package_files', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_package_files_package_id'))

    op.drop_table('package_files')
    with op.batch_alter_table('submission_packages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_submission_packages_organisation_id'))

    op.drop_table('submission_packages')
    with op.batch_alter_table('api_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_api_tokens_user_id'))

    op.drop_table('api_tokens')
