"""The statements of each schema migration, in order: data, append-only.

Never edit a migration that has shipped; add the next one at the end of `STEPS`.
"""

from __future__ import annotations

_V1 = [
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE people (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL DEFAULT '',
        role TEXT NOT NULL DEFAULT 'other',
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        rank INTEGER NOT NULL,
        problem TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '',
        acceptance TEXT NOT NULL DEFAULT '',
        value INTEGER,
        impact TEXT NOT NULL DEFAULT '',
        estimate REAL,
        tags TEXT NOT NULL DEFAULT '[]',
        parent_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        metric_name TEXT,
        metric_unit TEXT,
        metric_target REAL,
        metric_actual REAL,
        source TEXT NOT NULL DEFAULT '',
        external_key TEXT NOT NULL DEFAULT '',
        external_url TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by TEXT NOT NULL,
        deleted_at TEXT,
        deleted_by TEXT
    )""",
    "CREATE INDEX items_live_rank ON items(deleted_at, rank)",
    "CREATE INDEX items_rank ON items(rank)",
    "CREATE INDEX items_live_status ON items(deleted_at, status, estimate)",
    "CREATE INDEX items_external ON items(source, external_key)",
    # item_tally keeps live item counts per status, so the home screen reads a
    # handful of rows instead of scanning the backlog, whatever its size.
    """CREATE TABLE item_tally (
        status TEXT PRIMARY KEY,
        items INTEGER NOT NULL DEFAULT 0,
        estimated INTEGER NOT NULL DEFAULT 0,
        points REAL NOT NULL DEFAULT 0
    )""",
    """CREATE TRIGGER items_tally_insert AFTER INSERT ON items WHEN new.deleted_at IS NULL
    BEGIN
        INSERT INTO item_tally(status, items, estimated, points)
        VALUES (new.status, 1, new.estimate IS NOT NULL, coalesce(new.estimate, 0))
        ON CONFLICT(status) DO UPDATE SET items = items + 1,
            estimated = estimated + (new.estimate IS NOT NULL),
            points = points + coalesce(new.estimate, 0);
    END""",
    """CREATE TRIGGER items_tally_delete AFTER DELETE ON items WHEN old.deleted_at IS NULL
    BEGIN
        UPDATE item_tally SET items = items - 1,
            estimated = estimated - (old.estimate IS NOT NULL),
            points = points - coalesce(old.estimate, 0)
        WHERE status = old.status;
    END""",
    """CREATE TRIGGER items_tally_update AFTER UPDATE OF status, estimate, deleted_at ON items
    BEGIN
        UPDATE item_tally SET items = items - 1,
            estimated = estimated - (old.estimate IS NOT NULL),
            points = points - coalesce(old.estimate, 0)
        WHERE status = old.status AND old.deleted_at IS NULL;
        INSERT INTO item_tally(status, items, estimated, points)
        SELECT new.status, 1, new.estimate IS NOT NULL, coalesce(new.estimate, 0)
        WHERE new.deleted_at IS NULL
        ON CONFLICT(status) DO UPDATE SET items = items + 1,
            estimated = estimated + (new.estimate IS NOT NULL),
            points = points + coalesce(new.estimate, 0);
    END""",
    """CREATE TABLE item_options (
        id INTEGER PRIMARY KEY,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        description TEXT NOT NULL,
        effort TEXT NOT NULL DEFAULT '',
        risk TEXT NOT NULL DEFAULT 'medium',
        chosen INTEGER NOT NULL DEFAULT 0
    )""",
    "CREATE INDEX item_options_item ON item_options(item_id, position)",
    """CREATE TABLE sprints (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        goal TEXT NOT NULL DEFAULT '',
        start_date TEXT NOT NULL,
        end_date TEXT NOT NULL,
        status TEXT NOT NULL,
        points_per_day REAL NOT NULL DEFAULT 1.0,
        reserve_percent INTEGER NOT NULL DEFAULT 0,
        velocity_guess REAL,
        completed_points REAL,
        started_at TEXT,
        closed_at TEXT,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL
    )""",
    "CREATE UNIQUE INDEX sprints_one_active ON sprints(status) WHERE status = 'active'",
    """CREATE TABLE sprint_items (
        sprint_id INTEGER NOT NULL REFERENCES sprints(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        added_after_start INTEGER NOT NULL DEFAULT 0,
        removed_at TEXT,
        removed_by TEXT,
        done INTEGER NOT NULL DEFAULT 0,
        done_at TEXT,
        PRIMARY KEY (sprint_id, item_id)
    )""",
    "CREATE INDEX sprint_items_item ON sprint_items(item_id)",
    """CREATE TABLE sprint_capacity (
        sprint_id INTEGER NOT NULL REFERENCES sprints(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id),
        days_available REAL NOT NULL,
        days_off REAL NOT NULL DEFAULT 0,
        focus_factor REAL NOT NULL DEFAULT 0.7,
        points_override REAL,
        PRIMARY KEY (sprint_id, person_id)
    )""",
    """CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        facilitator_id INTEGER REFERENCES people(id),
        sprint_id INTEGER REFERENCES sprints(id) ON DELETE SET NULL,
        status TEXT NOT NULL,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        summary TEXT NOT NULL DEFAULT '',
        settings TEXT NOT NULL DEFAULT '{}',
        current_item_id INTEGER REFERENCES items(id)
    )""",
    "CREATE INDEX sessions_started ON sessions(started_at)",
    """CREATE TABLE decks (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        cards TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE session_items (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'queued',
        final_estimate REAL,
        final_card TEXT,
        rationale TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (session_id, item_id)
    )""",
    """CREATE TABLE estimation_rounds (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        number INTEGER NOT NULL,
        deck_id INTEGER REFERENCES decks(id),
        started_at TEXT NOT NULL,
        revealed_at TEXT,
        timer_seconds INTEGER NOT NULL DEFAULT 120,
        UNIQUE (session_id, item_id, number)
    )""",
    """CREATE TABLE votes (
        id INTEGER PRIMARY KEY,
        round_id INTEGER NOT NULL REFERENCES estimation_rounds(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id),
        card TEXT NOT NULL,
        confidence TEXT NOT NULL DEFAULT 'normal',
        voted_at TEXT NOT NULL,
        entered_by TEXT NOT NULL,
        UNIQUE (round_id, person_id)
    )""",
    """CREATE TABLE risks (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        category TEXT NOT NULL,
        likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
        impact INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
        status TEXT NOT NULL,
        blocking INTEGER NOT NULL DEFAULT 0,
        item_id INTEGER REFERENCES items(id) ON DELETE SET NULL,
        sprint_id INTEGER REFERENCES sprints(id) ON DELETE SET NULL,
        owner_id INTEGER REFERENCES people(id),
        mitigation TEXT NOT NULL DEFAULT '',
        follow_up TEXT,
        raised_by TEXT NOT NULL,
        raised_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        decision_note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX risks_status ON risks(status)",
    "CREATE INDEX risks_item ON risks(item_id)",
    """CREATE TABLE risk_events (
        id INTEGER PRIMARY KEY,
        risk_id INTEGER NOT NULL REFERENCES risks(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        from_status TEXT,
        to_status TEXT NOT NULL,
        note TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE retro_templates (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        columns TEXT NOT NULL,
        builtin INTEGER NOT NULL DEFAULT 0
    )""",
    """CREATE TABLE retro_boards (
        id INTEGER PRIMARY KEY,
        session_id INTEGER NOT NULL UNIQUE REFERENCES sessions(id) ON DELETE CASCADE,
        sprint_id INTEGER REFERENCES sprints(id) ON DELETE SET NULL,
        template TEXT NOT NULL,
        columns TEXT NOT NULL,
        anonymous INTEGER NOT NULL DEFAULT 1,
        votes_per_person INTEGER NOT NULL DEFAULT 3,
        several_votes_per_card INTEGER NOT NULL DEFAULT 0,
        hide_totals INTEGER NOT NULL DEFAULT 1,
        phase TEXT NOT NULL DEFAULT 'review',
        phase_started_at TEXT,
        phase_seconds INTEGER NOT NULL DEFAULT 300
    )""",
    """CREATE TABLE retro_themes (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES retro_boards(id) ON DELETE CASCADE,
        column_name TEXT NOT NULL,
        title TEXT NOT NULL,
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE retro_cards (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES retro_boards(id) ON DELETE CASCADE,
        column_name TEXT NOT NULL,
        text TEXT NOT NULL,
        author_id INTEGER REFERENCES people(id),
        theme_id INTEGER REFERENCES retro_themes(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL
    )""",
    "CREATE INDEX retro_cards_board ON retro_cards(board_id)",
    """CREATE TABLE retro_votes (
        id INTEGER PRIMARY KEY,
        board_id INTEGER NOT NULL REFERENCES retro_boards(id) ON DELETE CASCADE,
        voter_id INTEGER NOT NULL REFERENCES people(id),
        card_id INTEGER REFERENCES retro_cards(id) ON DELETE CASCADE,
        theme_id INTEGER REFERENCES retro_themes(id) ON DELETE CASCADE,
        at TEXT NOT NULL,
        CHECK ((card_id IS NULL) <> (theme_id IS NULL))
    )""",
    """CREATE TABLE retro_ratings (
        board_id INTEGER NOT NULL REFERENCES retro_boards(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id),
        rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
        PRIMARY KEY (board_id, person_id)
    )""",
    """CREATE TABLE action_items (
        id INTEGER PRIMARY KEY,
        text TEXT NOT NULL,
        owner_id INTEGER REFERENCES people(id),
        due_date TEXT,
        status TEXT NOT NULL,
        board_id INTEGER REFERENCES retro_boards(id) ON DELETE SET NULL,
        card_id INTEGER REFERENCES retro_cards(id) ON DELETE SET NULL,
        theme_id INTEGER REFERENCES retro_themes(id) ON DELETE SET NULL,
        created_at TEXT NOT NULL,
        created_by TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        decided_by TEXT,
        decided_at TEXT,
        review_note TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX action_items_status ON action_items(status)",
    """CREATE TABLE changes (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        actor TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id INTEGER,
        action TEXT NOT NULL,
        summary TEXT NOT NULL DEFAULT ''
    )""",
]

_V2 = [
    """CREATE TABLE presence (
        person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
        pid INTEGER NOT NULL,
        host TEXT NOT NULL,
        place TEXT NOT NULL DEFAULT 'home',
        seen_at TEXT NOT NULL,
        PRIMARY KEY (person_id, host, pid)
    )""",
]

_V3 = [
    # Who takes part in an estimation session, and whether they vote or watch.
    """CREATE TABLE session_people (
        session_id INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        person_id INTEGER NOT NULL REFERENCES people(id),
        role TEXT NOT NULL DEFAULT 'voter',
        joined_at TEXT NOT NULL,
        PRIMARY KEY (session_id, person_id)
    )""",
    # A round's countdown can be restarted or changed without touching when the round began.
    "ALTER TABLE estimation_rounds ADD COLUMN timer_started_at TEXT",
    "CREATE INDEX estimation_rounds_item ON estimation_rounds(item_id)",
    "CREATE INDEX session_items_item ON session_items(item_id)",
    "CREATE INDEX sessions_kind ON sessions(kind, status)",
]

_V4 = [
    # What each retro decided about the earlier retros' open actions. The rows are
    # written when the retro starts, so its review list does not shift under it.
    """CREATE TABLE action_reviews (
        board_id INTEGER NOT NULL REFERENCES retro_boards(id) ON DELETE CASCADE,
        action_id INTEGER NOT NULL REFERENCES action_items(id) ON DELETE CASCADE,
        decision TEXT,
        decided_by TEXT,
        decided_at TEXT,
        note TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (board_id, action_id)
    )""",
    # How many people wrote cards: a count, so an anonymous board never says who wrote which.
    "ALTER TABLE retro_boards ADD COLUMN writers INTEGER NOT NULL DEFAULT 0",
    # What the team said about a card it discussed (themes already have notes).
    "ALTER TABLE retro_cards ADD COLUMN notes TEXT NOT NULL DEFAULT ''",
    "CREATE INDEX retro_votes_board ON retro_votes(board_id, voter_id)",
    "CREATE INDEX retro_themes_board ON retro_themes(board_id)",
    "CREATE INDEX action_items_board ON action_items(board_id)",
]

_V5 = [
    # Every change to a sprint's items, with who and when: scope change after the
    # start and the burn-down are read from it. `points` is the estimate at the time.
    """CREATE TABLE sprint_events (
        id INTEGER PRIMARY KEY,
        sprint_id INTEGER NOT NULL REFERENCES sprints(id) ON DELETE CASCADE,
        item_id INTEGER NOT NULL REFERENCES items(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        after_start INTEGER NOT NULL DEFAULT 0,
        points REAL,
        at TEXT NOT NULL,
        actor TEXT NOT NULL
    )""",
    "CREATE INDEX sprint_events_sprint ON sprint_events(sprint_id, at)",
    # Who takes an item in a sprint: the per-person capacity bars add these up.
    "ALTER TABLE sprint_items ADD COLUMN owner_id INTEGER REFERENCES people(id)",
    # Sprints planned before this version keep their history as events.
    """INSERT INTO sprint_events(sprint_id, item_id, kind, after_start, points, at, actor)
       SELECT s.sprint_id, s.item_id, 'added', s.added_after_start, i.estimate, s.added_at,
              s.added_by
       FROM sprint_items s JOIN items i ON i.id = s.item_id""",
    """INSERT INTO sprint_events(sprint_id, item_id, kind, after_start, points, at, actor)
       SELECT s.sprint_id, s.item_id, 'removed', 1, i.estimate, s.removed_at,
              coalesce(s.removed_by, s.added_by)
       FROM sprint_items s JOIN items i ON i.id = s.item_id WHERE s.removed_at IS NOT NULL""",
    """INSERT INTO sprint_events(sprint_id, item_id, kind, after_start, points, at, actor)
       SELECT s.sprint_id, s.item_id, 'done', 1, i.estimate, s.done_at, s.added_by
       FROM sprint_items s JOIN items i ON i.id = s.item_id
       WHERE s.done = 1 AND s.done_at IS NOT NULL""",
]

_V6 = [
    # The account a name is bound to (`uid:1001`): the first account that opened the
    # workspace under that name. NULL for people without a terminal (in the room).
    "ALTER TABLE people ADD COLUMN bound_to TEXT",
    "ALTER TABLE people ADD COLUMN bound_at TEXT",
]


_V7 = [
    # The Risks screen reads its head, its matrix and how many risks a filter shows
    # from risk_tally (a few hundred rows at most) instead of scanning the register,
    # and pages its list off risks_by_score: opening and every filter key cost the
    # same for 100 risks and 100,000. Risks against trashed items are in the tally;
    # readers take those off (there are few, found from the trashed items).
    """CREATE TABLE risk_tally (
        status TEXT NOT NULL,
        category TEXT NOT NULL,
        likelihood INTEGER NOT NULL,
        impact INTEGER NOT NULL,
        blocking INTEGER NOT NULL,
        risks INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (status, category, likelihood, impact, blocking)
    ) WITHOUT ROWID""",
    """INSERT INTO risk_tally(status, category, likelihood, impact, blocking, risks)
       SELECT status, category, likelihood, impact, blocking <> 0, count(*) FROM risks
       GROUP BY 1, 2, 3, 4, 5""",
    """CREATE TRIGGER risks_tally_insert AFTER INSERT ON risks
    BEGIN
        INSERT INTO risk_tally(status, category, likelihood, impact, blocking, risks)
        VALUES (new.status, new.category, new.likelihood, new.impact, new.blocking <> 0, 1)
        ON CONFLICT DO UPDATE SET risks = risks + 1;
    END""",
    """CREATE TRIGGER risks_tally_delete AFTER DELETE ON risks
    BEGIN
        UPDATE risk_tally SET risks = risks - 1
        WHERE status = old.status AND category = old.category AND likelihood = old.likelihood
            AND impact = old.impact AND blocking = (old.blocking <> 0);
    END""",
    """CREATE TRIGGER risks_tally_update
    AFTER UPDATE OF status, category, likelihood, impact, blocking ON risks
    BEGIN
        UPDATE risk_tally SET risks = risks - 1
        WHERE status = old.status AND category = old.category AND likelihood = old.likelihood
            AND impact = old.impact AND blocking = (old.blocking <> 0);
        INSERT INTO risk_tally(status, category, likelihood, impact, blocking, risks)
        VALUES (new.status, new.category, new.likelihood, new.impact, new.blocking <> 0, 1)
        ON CONFLICT DO UPDATE SET risks = risks + 1;
    END""",
    """CREATE INDEX risks_by_score
       ON risks(likelihood * impact DESC, id DESC, status, category, likelihood, impact, item_id)""",
    "CREATE INDEX risks_sprint ON risks(sprint_id)",
    "CREATE INDEX risks_owner ON risks(owner_id)",
    "CREATE INDEX risks_follow_up ON risks(follow_up) WHERE follow_up IS NOT NULL",
]


_V8 = [
    # How many backlog items a sprint could take is item_tally's open items less the
    # epics among them (counted off this index: there are few) and less what open
    # sprints hold: the Sprint screen opens in the same time at 1,000 items and 100,000.
    "CREATE INDEX items_live_kind ON items(kind, status) WHERE deleted_at IS NULL",
]


_V9 = [
    # A retro column is read a page at a time: its loose cards in order of writing, its
    # own cards while the rest are hidden, and its counts, each off an index, so a board
    # of 20,000 cards draws as fast as one of 200.
    "CREATE INDEX retro_cards_place ON retro_cards(board_id, column_name, theme_id, id)",
    "CREATE INDEX retro_cards_author ON retro_cards(board_id, author_id)",
    # Grouped cards are read by theme (and deleting a theme clears them off this index).
    "CREATE INDEX retro_cards_theme ON retro_cards(theme_id) WHERE theme_id IS NOT NULL",
    "DROP INDEX retro_cards_board",
]


_V10 = [
    # A session's queue is read a page at a time in queue order.
    "CREATE INDEX session_items_position ON session_items(session_id, position)",
]


_V11 = [
    # Invitations for guests joining through `planner serve`: a link for a browser and a
    # code for SSH, either usable once, stored only as hashes of the secrets.
    """CREATE TABLE invitations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        link_hash TEXT NOT NULL UNIQUE,
        code_hash TEXT NOT NULL UNIQUE,
        created_by TEXT NOT NULL,
        created_account TEXT NOT NULL,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        used_at TEXT,
        used_by TEXT,
        revoked_at TEXT
    )""",
    # What the first use bound to the invitation: a browser's cookie secret (hashed) or
    # an SSH public key's fingerprint. Either lets that guest back in as the same name.
    """CREATE TABLE guest_keys (
        key_hash TEXT PRIMARY KEY,
        invitation_id INTEGER NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        created_at TEXT NOT NULL,
        last_seen TEXT
    ) WITHOUT ROWID""",
    # A guest's running planner, started by `planner serve`: the process proves who it
    # is with a secret only serve and that process know (its hash is kept here).
    """CREATE TABLE guest_sessions (
        token_hash TEXT PRIMARY KEY,
        invitation_id INTEGER NOT NULL REFERENCES invitations(id) ON DELETE CASCADE,
        door TEXT NOT NULL,
        started_at TEXT NOT NULL
    ) WITHOUT ROWID""",
]


_V12 = [
    # Whether a success metric aims high (adoption) or low (latency, churn): what tells
    # met from missed in the outcome list and the sprint review.
    """ALTER TABLE items ADD COLUMN metric_better TEXT NOT NULL DEFAULT 'higher'
       CHECK (metric_better IN ('higher', 'lower'))""",
]


def item_name_text(row: str) -> str:
    """An item's key and title as one indexed text (`new` in a trigger, `items` in a query)."""
    return f"{row}.key || char(10) || {row}.title"


def item_detail_text(row: str) -> str:
    """An item's problem and tags as one indexed text (`new` in a trigger, `items` in a query)."""
    return (
        f"{row}.problem || char(10) || CASE WHEN json_valid({row}.tags) THEN coalesce("
        f"(SELECT group_concat(value, char(10)) FROM json_each({row}.tags)), '') ELSE '' END"
    )


_V13 = [
    # Trigram indexes of each item's key and title (item_names) and of its problem and
    # tags (item_details): a text search (the Backlog's filter, the Sprint screen's find,
    # the poker queue's) for a piece few items hold reads those items, not all 100,000
    # (see store/text_search.py). Two indexes, as the Sprint screen and the queue search
    # names alone, and a word in every problem may be in no title.
    "CREATE VIRTUAL TABLE item_names USING fts5(text, tokenize = 'trigram')",
    "CREATE VIRTUAL TABLE item_details USING fts5(text, tokenize = 'trigram')",
    f"INSERT INTO item_names(rowid, text) SELECT id, {item_name_text('items')} FROM items",
    f"INSERT INTO item_details(rowid, text) SELECT id, {item_detail_text('items')} FROM items",
    f"""CREATE TRIGGER item_text_insert AFTER INSERT ON items BEGIN
        INSERT INTO item_names(rowid, text) VALUES (new.id, {item_name_text("new")});
        INSERT INTO item_details(rowid, text) VALUES (new.id, {item_detail_text("new")});
    END""",
    f"""CREATE TRIGGER item_names_update AFTER UPDATE OF key, title ON items BEGIN
        UPDATE item_names SET text = {item_name_text("new")} WHERE rowid = new.id;
    END""",
    f"""CREATE TRIGGER item_details_update AFTER UPDATE OF problem, tags ON items BEGIN
        UPDATE item_details SET text = {item_detail_text("new")} WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER item_text_delete AFTER DELETE ON items BEGIN
        DELETE FROM item_names WHERE rowid = old.id;
        DELETE FROM item_details WHERE rowid = old.id;
    END""",
]


STEPS: tuple[tuple[str, list[str]], ...] = (
    ("0001_initial", _V1),
    ("0002_presence", _V2),
    ("0003_estimation", _V3),
    ("0004_retro", _V4),
    ("0005_sprint_events", _V5),
    ("0006_bound_names", _V6),
    ("0007_risk_register", _V7),
    ("0008_sprint_candidates", _V8),
    ("0009_retro_pages", _V9),
    ("0010_queue_pages", _V10),
    ("0011_invitations", _V11),
    ("0012_metric_direction", _V12),
    ("0013_item_text", _V13),
)
"""(name, statements) of every migration; their count is the schema version."""
