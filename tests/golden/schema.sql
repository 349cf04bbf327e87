CREATE TABLE ledger (
    title TEXT NOT NULL,
    description TEXT,
    published TEXT,
    license TEXT,
    version TEXT,
    method TEXT,
    schema_version INTEGER NOT NULL,
    exported_by TEXT NOT NULL
);
CREATE TABLE lifecycles (
    id TEXT NOT NULL,
    label TEXT NOT NULL,
    initial TEXT NOT NULL,
    description TEXT,
    PRIMARY KEY (id)
);
CREATE TABLE statuses (
    lifecycle_id TEXT NOT NULL,
    id TEXT NOT NULL,
    label TEXT NOT NULL,
    kind TEXT NOT NULL,
    score INTEGER,
    rank INTEGER NOT NULL,
    final INTEGER NOT NULL,
    position INTEGER NOT NULL,
    description TEXT,
    PRIMARY KEY (lifecycle_id, id),
    FOREIGN KEY (lifecycle_id) REFERENCES lifecycles(id)
);
CREATE TABLE moves (
    lifecycle_id TEXT NOT NULL,
    from_status TEXT NOT NULL,
    to_status TEXT NOT NULL,
    reopen INTEGER NOT NULL,
    PRIMARY KEY (lifecycle_id, from_status, to_status, reopen),
    FOREIGN KEY (lifecycle_id, from_status) REFERENCES statuses(lifecycle_id, id),
    FOREIGN KEY (lifecycle_id, to_status) REFERENCES statuses(lifecycle_id, id)
);
CREATE TABLE actors (
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT,
    PRIMARY KEY (id)
);
CREATE TABLE actor_aliases (
    actor_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    alias TEXT NOT NULL,
    PRIMARY KEY (actor_id, position),
    FOREIGN KEY (actor_id) REFERENCES actors(id)
);
CREATE TABLE sources (
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    outlet TEXT,
    url TEXT,
    published TEXT,
    published_first TEXT,
    published_last TEXT,
    published_precision TEXT,
    language TEXT NOT NULL,
    path TEXT,
    sha256 TEXT,
    note TEXT,
    PRIMARY KEY (id)
);
CREATE TABLE occasions (
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    start TEXT NOT NULL,
    start_first TEXT NOT NULL,
    start_last TEXT NOT NULL,
    start_precision TEXT NOT NULL,
    end TEXT,
    end_first TEXT,
    end_last TEXT,
    end_precision TEXT,
    place TEXT,
    note TEXT,
    PRIMARY KEY (id)
);
CREATE TABLE occasion_participants (
    occasion_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    PRIMARY KEY (occasion_id, position),
    FOREIGN KEY (occasion_id) REFERENCES occasions(id),
    FOREIGN KEY (actor_id) REFERENCES actors(id)
);
CREATE TABLE pledges (
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    text TEXT NOT NULL,
    kind TEXT NOT NULL,
    occasion_id TEXT,
    lifecycle_id TEXT NOT NULL,
    made TEXT NOT NULL,
    made_first TEXT NOT NULL,
    made_last TEXT NOT NULL,
    made_precision TEXT NOT NULL,
    window_start TEXT,
    window_end TEXT,
    window_wording TEXT,
    note TEXT,
    position INTEGER NOT NULL,
    PRIMARY KEY (id),
    FOREIGN KEY (occasion_id) REFERENCES occasions(id),
    FOREIGN KEY (lifecycle_id) REFERENCES lifecycles(id)
);
CREATE TABLE pledge_makers (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id),
    FOREIGN KEY (actor_id) REFERENCES actors(id)
);
CREATE TABLE pledge_recipients (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    actor_id TEXT NOT NULL,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id),
    FOREIGN KEY (actor_id) REFERENCES actors(id)
);
CREATE TABLE pledge_topics (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    topic TEXT NOT NULL,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id)
);
CREATE TABLE pledge_extra (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    value TEXT NOT NULL,
    list INTEGER NOT NULL,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id)
);
CREATE TABLE links (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    target_id TEXT NOT NULL,
    note TEXT,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id),
    FOREIGN KEY (target_id) REFERENCES pledges(id)
);
CREATE TABLE updates (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    date TEXT NOT NULL,
    date_first TEXT NOT NULL,
    date_last TEXT NOT NULL,
    date_precision TEXT NOT NULL,
    lifecycle_id TEXT NOT NULL,
    status TEXT NOT NULL,
    kind TEXT NOT NULL,
    note TEXT,
    occasion_id TEXT,
    confidence TEXT,
    alternative TEXT,
    alternative_why TEXT,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id),
    FOREIGN KEY (lifecycle_id, status) REFERENCES statuses(lifecycle_id, id),
    FOREIGN KEY (occasion_id) REFERENCES occasions(id)
);
CREATE TABLE evidence (
    pledge_id TEXT NOT NULL,
    update_position INTEGER NOT NULL,
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL,
    quote TEXT,
    summary TEXT,
    published TEXT,
    published_first TEXT,
    published_last TEXT,
    published_precision TEXT,
    locator TEXT,
    PRIMARY KEY (pledge_id, update_position, position),
    FOREIGN KEY (pledge_id, update_position) REFERENCES updates(pledge_id, position),
    FOREIGN KEY (source_id) REFERENCES sources(id)
);
CREATE TABLE searches (
    pledge_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    searched_on TEXT NOT NULL,
    searched_on_first TEXT NOT NULL,
    searched_on_last TEXT NOT NULL,
    searched_on_precision TEXT NOT NULL,
    places TEXT NOT NULL,
    terms TEXT NOT NULL,
    period_start TEXT,
    period_end TEXT,
    found TEXT,
    sources TEXT NOT NULL,
    PRIMARY KEY (pledge_id, position),
    FOREIGN KEY (pledge_id) REFERENCES pledges(id)
);
CREATE TABLE corrections (
    position INTEGER NOT NULL,
    corrected_on TEXT NOT NULL,
    corrected_on_first TEXT NOT NULL,
    corrected_on_last TEXT NOT NULL,
    corrected_on_precision TEXT NOT NULL,
    pledge_id TEXT NOT NULL,
    update_date TEXT,
    was TEXT,
    wrong TEXT NOT NULL,
    change TEXT NOT NULL,
    why TEXT NOT NULL,
    sources TEXT NOT NULL,
    PRIMARY KEY (position)
);
CREATE INDEX moves_lifecycle_to_status ON moves(lifecycle_id, to_status);
CREATE INDEX occasion_participants_actor ON occasion_participants(actor_id);
CREATE INDEX pledges_occasion ON pledges(occasion_id);
CREATE INDEX pledges_lifecycle ON pledges(lifecycle_id);
CREATE INDEX pledge_makers_actor ON pledge_makers(actor_id);
CREATE INDEX pledge_recipients_actor ON pledge_recipients(actor_id);
CREATE INDEX pledge_topics_topic ON pledge_topics(topic);
CREATE INDEX links_target ON links(target_id);
CREATE INDEX updates_lifecycle_status ON updates(lifecycle_id, status);
CREATE INDEX updates_occasion ON updates(occasion_id);
CREATE INDEX evidence_source ON evidence(source_id);
