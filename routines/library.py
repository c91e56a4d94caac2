"""The clinic's starting exercise library and the list of activities to avoid.

Based on the facts in the source article (which exercises, their holds and
repetitions, what each one helps, what to stay away from), written in our own
plain words. Where the article gives no number, the dose is a gentle starting
point a physiotherapist adjusts per patient.

The data migration `0003_seed_exercise_library` installs this once; the demo
seeding and the browser tests call `install_library()` again, which only adds
what is missing (matched by slug or title) and never overwrites an admin's edits.
"""

from django.db import transaction

STOP_IF_WORSE = "Stop and tell your physiotherapist if pain, numbness or tingling spreads further down your"

EXERCISES = [
    {
        "slug": "glute-bridge",
        "name": "Glute bridge",
        "region": "lower_back",
        "kind": "strength",
        "purpose": "Builds strength in your buttocks and the deep muscles of your tummy, which support your back.",
        "cautions": f"Lift only as high as feels comfortable. {STOP_IF_WORSE} leg.",
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": 5,
        "per_side": False,
        "drawing_start_alt": "Lying on the back with knees bent and feet flat on the floor.",
        "drawing_end_alt": (
            "Hips lifted off the floor, so the shoulders, hips and knees make a straight slope. An arrow points up."
        ),
        "steps": [
            "Lie on your back with your knees bent and your feet flat on the floor.",
            "Slowly lift your hips off the floor.",
            "Keep them up for five seconds.",
            "Lower your back gently down to the floor.",
        ],
    },
    {
        "slug": "knee-to-chest-stretch",
        "name": "Knee-to-chest stretch",
        "region": "lower_back",
        "kind": "stretch",
        "purpose": "Gently stretches the muscles of your lower back.",
        "cautions": f"Pull gently; this should feel like a stretch, not pain. {STOP_IF_WORSE} leg.",
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": 5,
        "per_side": True,
        "drawing_start_alt": "Lying on the back with knees bent and feet flat on the floor.",
        "drawing_end_alt": (
            "One knee pulled up toward the chest and held there with both hands. The other foot stays on the floor."
        ),
        "steps": [
            "Lie on your back and bring one knee up toward your chest, holding it with your hands.",
            "Rock slowly from side to side a little.",
            "Stay still with the knee close to your chest for five seconds.",
            "Let the leg down slowly, then do the same with the other knee.",
        ],
    },
    {
        "slug": "belly-to-spine",
        "name": "Belly to spine",
        "region": "lower_back",
        "kind": "strength",
        "purpose": "Wakes up and strengthens the deep tummy muscles that hold your spine steady.",
        "cautions": "Keep breathing normally while you hold. Do not hold your breath.",
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": 3,
        "per_side": False,
        "drawing_start_alt": "Sitting upright on a chair, with the tummy relaxed.",
        "drawing_end_alt": (
            "Still sitting upright, with the tummy pulled in flat. An arrow points from the belly button "
            "back toward the spine."
        ),
        "steps": [
            "Lie down or sit upright in a chair, whichever is easier.",
            "Pull your belly button in toward your back, as if tightening a belt.",
            "Keep it pulled in for a few seconds, then relax.",
        ],
    },
    {
        "slug": "pelvic-tilt",
        "name": "Pelvic tilt",
        "region": "lower_back",
        "kind": "strength",
        "purpose": "Builds control of the muscles that support the natural curve of your lower back.",
        "cautions": f"Move only a small amount and slowly. {STOP_IF_WORSE} leg.",
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": 5,
        "per_side": False,
        "drawing_start_alt": (
            "Lying on the back with knees bent. There is a small gap between the lower back and the floor."
        ),
        "drawing_end_alt": (
            "The lower back pressed flat against the floor, so the gap is gone. An arrow points down at the lower back."
        ),
        "steps": [
            "Lie on your back with your knees bent and your feet flat on the floor.",
            "Tip your hips so the small of your back presses flat against the floor.",
            "Keep it there for five seconds.",
            "Let go slowly and rest.",
        ],
    },
    {
        "slug": "side-leg-lift",
        "name": "Side leg lift",
        "region": "lower_back",
        "kind": "strength",
        "purpose": "Strengthens the muscles on the side of your hip and buttock.",
        "cautions": f"Lift slowly and only a short way. {STOP_IF_WORSE} leg.",
        "default_sets": 1,
        "default_reps": 5,
        "default_hold_seconds": 0,
        "per_side": True,
        "drawing_start_alt": (
            "Lying on one side, propped on the lower elbow, with both legs straight, one on top of the other."
        ),
        "drawing_end_alt": "The top leg raised, still straight, toward the ceiling. An arrow shows the leg moving up.",
        "steps": [
            "Lie on your side and keep your top leg straight.",
            "Raise the top leg slowly toward the ceiling.",
            "Lower it back down slowly.",
            "After the repetitions, turn over and do the other side.",
        ],
    },
    {
        "slug": "ear-to-shoulder-stretch",
        "name": "Ear-to-shoulder stretch",
        "region": "neck",
        "kind": "stretch",
        "purpose": "Loosens and strengthens the muscles at the side of your neck.",
        "cautions": f"Keep your shoulders down and relaxed. {STOP_IF_WORSE} arm.",
        "default_sets": 1,
        "default_reps": 5,
        "default_hold_seconds": 5,
        "per_side": True,
        "drawing_start_alt": "Head and shoulders from the front, head upright and looking straight ahead.",
        "drawing_end_alt": (
            "The head tipped to one side, so that ear moves toward the shoulder. The shoulders stay level and relaxed."
        ),
        "steps": [
            "Sit or stand tall and look straight ahead.",
            "Slowly tip your head so one ear moves toward the shoulder on that side.",
            "Stay there gently for a few seconds, then come back to the middle.",
            "Do the same toward the other shoulder.",
        ],
    },
    {
        "slug": "chin-to-pocket",
        "name": "Chin to pocket",
        "region": "neck",
        "kind": "stretch",
        "purpose": "Stretches the muscles at the back and side of your neck, above all the tight ones.",
        "cautions": f"Pull only very lightly. {STOP_IF_WORSE} arm.",
        "default_sets": 1,
        "default_reps": 5,
        "default_hold_seconds": 5,
        "per_side": True,
        "drawing_start_alt": "Standing upright from the front, head up and looking straight ahead.",
        "drawing_end_alt": (
            "The head turned and bent down, chin pointing toward the front trouser pocket on that side. "
            "An arrow runs from the chin to the pocket."
        ),
        "steps": [
            "Turn your head and point your chin down toward the front pocket of your trousers.",
            "Add a very gentle pull, just a little further.",
            "Stay there for five seconds, then slowly come back.",
            "Repeat, then do the same toward the other pocket.",
        ],
    },
    {
        "slug": "chin-tuck",
        "name": "Chin tuck",
        "region": "neck",
        "kind": "mobility",
        "purpose": "Eases pressure on the nerves in your neck.",
        "cautions": f"Keep your head level; do not tip it down. {STOP_IF_WORSE} arm.",
        "default_sets": 1,
        "default_reps": 10,
        "default_hold_seconds": 5,
        "per_side": False,
        "drawing_start_alt": (
            "Head and shoulders from the side. The head pokes forward, with the chin in front of the dotted line."
        ),
        "drawing_end_alt": (
            "The chin slid straight back behind the dotted line, making a double chin. The head stays "
            "level. An arrow points backward."
        ),
        "steps": [
            "Sit or stand tall and look straight ahead.",
            "Slide your chin straight back, as if making a double chin.",
            "Stay there for five seconds.",
            "Relax and let your head come forward again.",
        ],
    },
    {
        "slug": "walking",
        "name": "Walking",
        "region": "general",
        "kind": "aerobic",
        "purpose": "Keeps your whole body moving and loose, which helps you recover sooner.",
        "cautions": "Walk at an easy pace on even ground. Rest if your leg or arm symptoms build up.",
        "default_sets": 1,
        "default_reps": None,
        "default_minutes": 15,
        "default_hold_seconds": 0,
        "per_side": False,
        "drawing_start_alt": "Standing tall, arms relaxed by the sides.",
        "drawing_end_alt": "Walking forward with an easy stride, arms swinging naturally. An arrow points forward.",
        "steps": [
            "Wear comfortable shoes and pick a flat, safe route.",
            "Walk at a pace where you can still talk easily.",
            "Stand tall and let your arms swing naturally.",
            "Slow down or stop for a rest whenever you need to.",
        ],
    },
    {
        "slug": "gentle-stretching",
        "name": "Gentle stretching",
        "region": "general",
        "kind": "stretch",
        "purpose": "Keeps your muscles and joints loose so you move more easily.",
        "cautions": "Never bounce or force a stretch. Skip any stretch that makes your symptoms worse.",
        "default_sets": 1,
        "default_reps": None,
        "default_minutes": 10,
        "default_hold_seconds": 0,
        "per_side": False,
        "drawing_start_alt": "Sitting upright on a chair, hands resting on the thighs.",
        "drawing_end_alt": (
            "Still sitting, one arm reaching slowly up over the head in a gentle stretch. An arrow points up."
        ),
        "steps": [
            "Find a quiet spot where you can sit or lie comfortably.",
            "Stretch slowly until you feel a mild pull, not pain.",
            "Breathe out as you ease into the stretch and stay there for a few breaths.",
            "Come out of each stretch as slowly as you went in.",
        ],
    },
]

ACTIVITIES_TO_AVOID = [
    {
        "title": "Heavy lifting, including weights at the gym",
        "reason": "A pinched nerve can leave your muscles weaker than usual, so heavy loads can strain or hurt you.",
    },
    {
        "title": "Impact sports such as running, jumping or contact games",
        "reason": "The jolts and knocks can irritate the nerve again and slow your healing.",
    },
    {
        "title": "Hard, high-intensity workouts",
        "reason": "Pushing your body to its limit puts strain on the nerve while it is still healing.",
    },
    {
        "title": "Sudden or jerky movements",
        "reason": "Quick twists and jerks can squeeze the nerve. Move slowly and smoothly instead.",
    },
    {
        "title": "Doing the same movement over and over",
        "reason": "Repeating one motion many times can keep the nerve irritated. Take breaks and change position.",
    },
]

EXERCISE_FIELDS = (
    "name",
    "region",
    "kind",
    "purpose",
    "cautions",
    "default_sets",
    "default_reps",
    "default_minutes",
    "default_hold_seconds",
    "per_side",
)
# The line drawing (routines/media/drawings/<slug>-start.svg and -end.svg) and its words.
DRAWING_FIELDS = ("drawing_start_alt", "drawing_end_alt")


@transaction.atomic
def install_library(*, exercise_model=None, step_model=None, avoid_model=None) -> None:
    """Add any library exercise or activity to avoid that is missing. Existing rows are left alone.

    The model arguments let a data migration pass its historical models; by
    default the current ones are used.
    """
    if exercise_model is None:
        from .models import ActivityToAvoid, Exercise, ExerciseStep

        exercise_model, step_model, avoid_model = Exercise, ExerciseStep, ActivityToAvoid
    existing = set(exercise_model.objects.values_list("slug", flat=True))
    # The first data migration's models predate the drawings; install_drawings adds them later.
    with_drawings = any(field.name == "drawing" for field in exercise_model._meta.get_fields())
    for position, entry in enumerate(EXERCISES, start=1):
        if entry["slug"] in existing:
            continue
        exercise = exercise_model.objects.create(
            slug=entry["slug"],
            position=position * 10,
            active=True,
            **{name: entry.get(name) for name in EXERCISE_FIELDS},
            **(_drawing_values(entry) if with_drawings else {}),
        )
        step_model.objects.bulk_create(
            [
                step_model(exercise=exercise, position=number, text=text)
                for number, text in enumerate(entry["steps"], start=1)
            ]
        )
    titles = set(avoid_model.objects.values_list("title", flat=True))
    avoid_model.objects.bulk_create(
        [
            avoid_model(position=position, **activity)
            for position, activity in enumerate(ACTIVITIES_TO_AVOID, start=1)
            if activity["title"] not in titles
        ]
    )


def _drawing_values(entry: dict) -> dict:
    return {"drawing": entry["slug"], **{name: entry[name] for name in DRAWING_FIELDS}}


@transaction.atomic
def install_drawings(*, exercise_model=None) -> int:
    """Give each library exercise that has no drawing yet its own, with the words for it. Returns how many.

    An exercise that already has a drawing (or whose slug an admin changed) is left alone.
    """
    if exercise_model is None:
        from .models import Exercise as exercise_model
    updated = 0
    for entry in EXERCISES:
        updated += exercise_model.objects.filter(slug=entry["slug"], drawing="").update(**_drawing_values(entry))
    return updated
