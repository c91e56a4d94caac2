from django.apps import AppConfig


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Recovery tracker"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from tracker.mfa.policy import remember_enrolment
        from tracker.pagecache import receivers as pagecache_receivers
        from tracker.pagecache.cache_table import create_cache_table
        from tracker.signin.sessions import set_session_length

        user_logged_in.connect(remember_enrolment, dispatch_uid="tracker.mfa.remember_enrolment")
        user_logged_in.connect(set_session_length, dispatch_uid="tracker.signin.set_session_length")
        # Cached page pieces get a new version after every write about their patient (tracker.pagecache).
        pagecache_receivers.connect()
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="tracker.pagecache.create_cache_table")
