/** The home page's personalisation (ADR 0047): recent and favourite services, the service hall. */
import { area } from './area.ts';

export const personalArea = area(
  {
    'personal.services.title': 'Your services',
    'personal.services.empty':
      'Services you start from this page or sign in to, and those you mark as favourites, appear here.',
    'personal.favourite': 'Favourite',
    'personal.favourite.add': 'Add to favourites',
    'personal.favourite.remove': 'Remove from favourites',
    'personal.recent': 'Recently used',
    'personal.hall.title': 'Your service hall',
    'personal.hall.chosen': 'Nearest service hall for you:',
    'personal.hall.none':
      'Choose a city, or share your approximate location once, to see the nearest service hall.',
    'personal.hall.city': 'City',
    'personal.hall.cityNone': 'Choose a city',
    'personal.hall.geo':
      'Use my device’s location this once, rounded to whole degrees (about 100 km); only the hall found is kept',
    'personal.hall.geoOk': 'Approximate location added.',
    'personal.hall.geoFail': 'Your location could not be read; choose a city instead.',
    'personal.hall.submit': 'Show the nearest hall',
    'personal.hall.missing': 'Choose a city, or tick the box to use your approximate location',
  },
  {
    'personal.services.title': '我的服务',
    'personal.services.empty': '您从本页办理或通过单点登录进入的服务，以及您收藏的服务，会显示在这里。',
    'personal.favourite': '已收藏',
    'personal.favourite.add': '收藏',
    'personal.favourite.remove': '取消收藏',
    'personal.recent': '最近使用',
    'personal.hall.title': '我的政务服务大厅',
    'personal.hall.chosen': '离您最近的政务服务大厅：',
    'personal.hall.none': '选择一个城市，或分享一次您的大致位置，即可查看最近的政务服务大厅。',
    'personal.hall.city': '城市',
    'personal.hall.cityNone': '请选择城市',
    'personal.hall.geo': '仅此一次使用本设备的位置，取整到整数度（约 100 公里）；只保存找到的服务大厅',
    'personal.hall.geoOk': '已添加大致位置。',
    'personal.hall.geoFail': '无法读取您的位置，请改为选择城市。',
    'personal.hall.submit': '查看最近的服务大厅',
    'personal.hall.missing': '请选择城市，或勾选使用您的大致位置',
  },
  {
    'personal.services.title': 'Vaše služby',
    'personal.services.empty':
      'Zde se objeví služby, které spustíte z této stránky nebo do nich vstoupíte přihlášením, a služby označené jako oblíbené.',
    'personal.favourite': 'Oblíbená',
    'personal.favourite.add': 'Přidat mezi oblíbené',
    'personal.favourite.remove': 'Odebrat z oblíbených',
    'personal.recent': 'Nedávno použité',
    'personal.hall.title': 'Vaše úřadovna',
    'personal.hall.chosen': 'Nejbližší úřadovna pro vás:',
    'personal.hall.none':
      'Vyberte město nebo jednou sdílejte svou přibližnou polohu a uvidíte nejbližší úřadovnu.',
    'personal.hall.city': 'Město',
    'personal.hall.cityNone': 'Vyberte město',
    'personal.hall.geo':
      'Tentokrát použít polohu zařízení zaokrouhlenou na celé stupně (asi 100 km); uloží se jen nalezená úřadovna',
    'personal.hall.geoOk': 'Přibližná poloha přidána.',
    'personal.hall.geoFail': 'Polohu se nepodařilo zjistit; vyberte raději město.',
    'personal.hall.submit': 'Ukázat nejbližší úřadovnu',
    'personal.hall.missing': 'Vyberte město, nebo zaškrtněte použití přibližné polohy',
  },
);
